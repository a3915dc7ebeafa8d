use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What went wrong talking to PostgreSQL, sorted by what the caller should do about it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection could be had in time: the database is down or saturated. Worth retrying later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A unique constraint refused the row; carries the constraint's name.
    #[error("duplicate value for {0}")]
    Duplicate(String),
    /// A foreign key refused the row; carries the constraint's name.
    #[error("missing reference for {0}")]
    MissingReference(String),
    #[error("query failed")]
    Query(#[source] DieselError),
}

impl From<DieselError> for DbError {
    fn from(e: DieselError) -> Self {
        match &e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                DbError::Duplicate(info.constraint_name().unwrap_or("unique").to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                DbError::MissingReference(info.constraint_name().unwrap_or("foreign key").to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                DbError::Unavailable("connection closed".to_owned())
            }
            // The connection broke under the query (no SQLSTATE: the server went away).
            DieselError::DatabaseError(DatabaseErrorKind::UnableToSendCommand, info) => {
                DbError::Unavailable(info.message().to_owned())
            }
            // A transaction whose connection died cannot even be rolled back.
            DieselError::BrokenTransactionManager => {
                DbError::Unavailable("connection lost in a transaction".to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, info) if is_shutting_down(info.message()) => {
                DbError::Unavailable(info.message().to_owned())
            }
            _ => DbError::Query(e),
        }
    }
}

/// The server stops, restarts or recovers (SQLSTATE 57P01–57P03). diesel keeps no SQLSTATE beyond a few kinds, so
/// these are known by PostgreSQL's messages, which are English unless the server's `lc_messages` says otherwise.
fn is_shutting_down(message: &str) -> bool {
    const MESSAGES: [&str; 4] = [
        "terminating connection due to administrator command",
        "terminating connection because of crash of another server process",
        "the database system is",
        "terminating connection due to unexpected postmaster exit",
    ];
    MESSAGES.iter().any(|m| message.starts_with(m))
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for DbError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        DbError::Unavailable(e.to_string())
    }
}
