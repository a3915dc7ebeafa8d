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
        if let Some(why) = went_away(&e) {
            return DbError::Unavailable(why);
        }
        match &e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                DbError::Duplicate(info.constraint_name().unwrap_or("unique").to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                DbError::MissingReference(info.constraint_name().unwrap_or("foreign key").to_owned())
            }
            _ => DbError::Query(e),
        }
    }
}

/// Why the server is out of reach, when that is what `e` says.
fn went_away(e: &DieselError) -> Option<String> {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => Some("connection closed".to_owned()),
        // The connection broke under the query (no SQLSTATE: the server went away).
        DieselError::DatabaseError(DatabaseErrorKind::UnableToSendCommand, info) => Some(info.message().to_owned()),
        // A transaction whose connection died cannot even be rolled back.
        DieselError::BrokenTransactionManager => Some("connection lost in a transaction".to_owned()),
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info) if is_shutting_down(info.message()) => {
            Some(info.message().to_owned())
        }
        // The connection died under the COMMIT, and so under the rollback that followed: whether the transaction
        // committed is unknown, which a retry with the same Idempotency-Key settles.
        DieselError::RollbackErrorOnCommit {
            commit_error,
            rollback_error,
        } => went_away(commit_error).or_else(|| went_away(rollback_error)),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lost(message: &str) -> DieselError {
        DieselError::DatabaseError(DatabaseErrorKind::UnableToSendCommand, Box::new(message.to_owned()))
    }

    #[test]
    fn a_server_that_went_away_is_unavailable_even_under_a_failed_commit() {
        assert!(matches!(
            DbError::from(lost("connection reset")),
            DbError::Unavailable(_)
        ));
        let commit = DieselError::RollbackErrorOnCommit {
            commit_error: Box::new(lost("connection closed")),
            rollback_error: Box::new(lost("connection closed")),
        };
        assert!(matches!(DbError::from(commit), DbError::Unavailable(_)));
        let other = DieselError::RollbackErrorOnCommit {
            commit_error: Box::new(DieselError::NotFound),
            rollback_error: Box::new(DieselError::NotFound),
        };
        assert!(matches!(DbError::from(other), DbError::Query(_)));
        assert!(matches!(DbError::from(DieselError::NotFound), DbError::Query(_)));
    }
}
