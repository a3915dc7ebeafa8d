//! PostgreSQL, the truth: the pool, embedded migrations, and one module of queries per table group.

pub mod agencies;
pub mod ballots;
pub mod calendar;
pub mod categories;
pub mod deadlines;
pub mod due;
mod error;
// Declared before `issues`, which uses its `event_columns!`.
#[macro_use]
pub mod events;
pub mod extensions;
pub mod idempotency;
pub mod issues;
pub mod migrate;
pub mod notifications;
pub mod outbox;
pub mod performance;
pub mod photos;
pub mod plan_changes;
pub mod pool;
pub mod project_comments;
pub mod project_events;
pub mod project_reports;
pub mod project_spending;
pub mod projects;
pub mod proposals;
pub mod reception_days;
pub mod reference;
pub mod regions;
pub mod replica;
pub mod retention;
pub mod routing;
pub mod saved_filters;
pub mod scenes;
pub mod schema;
pub mod sessions;
pub mod sms_codes;
pub mod statements;
pub mod stations;
pub mod stats;
pub mod templates;
pub mod topics;
pub mod users;
pub mod voters;
pub mod webhooks;

pub use error::DbError;
pub use pool::{Conn, DbPool};
pub use statements::Cache;

/// What a query fails with before it is sorted into a `DbError`; transactions need it.
pub use diesel::result::Error as QueryError;
/// Brings `transaction` into scope for commands that write more than one row.
pub use diesel_async::AsyncConnection;
/// A PostgreSQL connection, borrowed from the pool or inside a transaction; every query takes one.
pub use diesel_async::AsyncPgConnection as PgConn;
