//! `embed_migrations!` reads `migrations/` at compile time, but cargo does not know it: without this, a new migration
//! folder is left out of the binary until some source file of this crate changes (diesel's advice).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
