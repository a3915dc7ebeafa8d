//! The background worker. It runs beside the API (`minsheng serve`) or alone (`minsheng worker`) so that
//! background work can scale apart from requests. Today it announces itself in Redis (so operators can see it is
//! alive) and forgets idempotency keys older than a day; deadline schedules and notification delivery join it
//! with the issues that need them. Every job is safe to run on several workers at once.

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;
use uuid::Uuid;

const BEAT: Duration = Duration::from_secs(15);
/// How long a create command's answer is remembered for retries.
const IDEMPOTENCY_KEYS_KEPT: chrono::Duration = chrono::Duration::hours(24);

/// Runs until `stop` turns true.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let id = Uuid::now_v7();
    tracing::info!(worker_id = %id, "worker started");
    loop {
        beat(&state, id).await;
        purge_idempotency_keys(&state).await;
        tokio::select! {
            () = tokio::time::sleep(BEAT) => {}
            _ = stop.changed() => break,
        }
    }
    tracing::info!(worker_id = %id, "worker stopped");
}

/// `{prefix}workers:{id}` lives three beats: a worker that stops beating disappears from the list.
async fn beat(state: &AppState, id: Uuid) {
    let now = chrono::Utc::now().to_rfc3339();
    if let Err(e) = state
        .redis
        .set_ex(&format!("workers:{id}"), &now, BEAT.as_secs() * 3)
        .await
    {
        tracing::warn!(error = %e, "worker could not reach Redis; will retry");
    }
}

/// A plain DELETE by age: two workers running it at once delete disjoint rows or nothing.
async fn purge_idempotency_keys(state: &AppState) {
    let cutoff = chrono::Utc::now() - IDEMPOTENCY_KEYS_KEPT;
    let purged = match infra::db::pool::conn(&state.db).await {
        Ok(mut conn) => infra::db::idempotency::purge_before(&mut conn, cutoff).await,
        Err(e) => Err(e),
    };
    match purged {
        Ok(0) => {}
        Ok(n) => tracing::info!(purged = n, "forgot old idempotency keys"),
        Err(e) => tracing::warn!(error = %e, "could not purge idempotency keys; will retry"),
    }
}
