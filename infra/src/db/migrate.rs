//! Embedded migrations, run under a PostgreSQL advisory lock so that instances starting together take turns.

use diesel::Connection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use secrecy::{ExposeSecret, SecretString};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Any fixed number will do; it only has to be the same for every minsheng instance.
const MIGRATION_LOCK: i64 = 0x6d69_6e73_6865_6e67; // "minsheng"

/// Applies the pending migrations and returns their versions.
///
/// # Errors
/// When the database cannot be reached or a migration fails (its transaction is rolled back).
pub async fn run(url: &SecretString) -> anyhow::Result<Vec<String>> {
    let url = url.expose_secret().to_owned();
    // The migration harness is synchronous; it gets a thread of its own so no async runtime is blocked.
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        use diesel::RunQueryDsl;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)?;
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).execute(&mut conn)?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))
            .and_then(|applied| {
                // The shipped calendar years are data the migrations' tables need: loaded under the same lock.
                super::calendar::load_shipped(&mut conn)
                    .map_err(|e| anyhow::anyhow!("loading the shipped calendar failed: {e}"))?;
                Ok(applied)
            });
        diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).execute(&mut conn)?;
        applied
    })
    .await?
}
