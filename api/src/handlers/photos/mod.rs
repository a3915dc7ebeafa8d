//! Photos: uploaded before the report that uses them, re-encoded without metadata, served only to those who may see
//! them (their uploader, and whoever sees the issue they belong to).

pub mod get;
pub mod upload;

pub use crate::app::photos::Photo;
