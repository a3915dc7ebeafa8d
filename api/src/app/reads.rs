//! Where a read that may lag a moment is answered: the replica when there is one within its bound and the reader
//! has not just written (an account that wrote within the bound reads from the primary, so it sees its own writes),
//! the primary otherwise. Sign-in, sessions and every command read and write the primary only.

use crate::app::error::AppResult;
use crate::state::AppState;
use infra::db::pool::Conn;
use uuid::Uuid;

/// The mark an account's write leaves in Redis, for as long as a replica within its bound may not show it yet.
fn wrote(user: Uuid) -> String {
    format!("wrote:{user}")
}

/// Notes that `user` is writing: until the replica's bound has passed, their lagging reads go to the primary.
/// Nothing without a replica; a Redis that does not answer sends every signed-in read to the primary instead
/// (`conn`), so nothing is lost by not noting.
pub async fn note_write(state: &AppState, user: Uuid) {
    if let Some(read) = &state.config.database_read {
        let seconds = read.max_lag.as_secs() + 1;
        if let Err(e) = state.redis.set_ex(&wrote(user), "1", seconds).await {
            tracing::debug!(error = %e, "could not note a write for read-your-writes");
        }
    }
}

/// A connection for a read that may lag, by `reader` (`None`: no one signed in).
///
/// # Errors
/// 503 when the primary it falls back to is unavailable.
pub async fn conn(state: &AppState, reader: Option<Uuid>) -> AppResult<Conn> {
    if let Some(replica) = &state.replica {
        let fresh_enough = match reader {
            None => true,
            // Unknown (Redis away) counts as written: the primary is always right.
            Some(user) => matches!(state.redis.get_with_ttl(&wrote(user)).await, Ok(None)),
        };
        if fresh_enough {
            if let Some(c) = replica.conn(&state.db).await {
                return Ok(c);
            }
        }
    }
    Ok(infra::db::pool::conn(&state.db).await?)
}
