//! Fixed-window counters for the limits (sign-in attempts, writes per account): in Redis, shared by every instance;
//! while Redis does not answer, in this process's memory (`infra::local_windows::LocalWindows`) with the same windows,
//! so a limit still holds — per instance — until Redis is back (with N instances behind a balancer, at most N times
//! the allowance). After a failed call the counters stay in memory for `LocalWindows::AWAY_FOR` before asking Redis
//! again, so an outage does not cost every request a connection timeout.

use crate::state::AppState;
use std::future::Future;
use std::time::Duration;

/// Runs `in_redis`, or `here` when Redis is away (now, or a moment ago).
async fn counted<T>(
    state: &AppState,
    what: &str,
    in_redis: impl Future<Output = Result<T, String>>,
    here: impl FnOnce() -> T,
) -> T {
    if state.local_counts.redis_away() {
        return here();
    }
    match in_redis.await {
        Ok(counted) => counted,
        Err(why) => {
            tracing::warn!(%why, limit = what, "Redis unavailable; counting in this process instead");
            state.local_counts.redis_failed();
            here()
        }
    }
}

/// Adds one to the window `key` (opened for `window` by its first event); answers the count and the seconds until
/// the window closes. `what` names the limit in the warning logged when Redis is away.
pub async fn hit(state: &AppState, key: &str, window: Duration, what: &str) -> (u64, u64) {
    counted(state, what, state.redis.hit(key, window.as_secs()), || {
        state.local_counts.hit(key, window)
    })
    .await
}

/// The count in the window `key` without adding to it, and the seconds until it closes (0 when none is open).
pub async fn count(state: &AppState, key: &str, what: &str) -> (u64, u64) {
    counted(state, what, state.redis.count(key), || state.local_counts.count(key)).await
}

/// Opens the window `key` anew for `window`, whatever was in it: a wait that starts now.
pub async fn restart(state: &AppState, key: &str, window: Duration, what: &str) {
    counted(
        state,
        what,
        state.redis.set_ex(key, "1", window.as_secs().max(1)),
        || {
            state.local_counts.restart(key, window);
        },
    )
    .await;
}
