//! The background worker. It runs beside the API (`minsheng serve`) or alone (`minsheng worker`) so that
//! background work can scale apart from requests. Jobs arrive with the issues that need them (deadline
//! schedules, notification delivery); today it announces itself in Redis so operators can see it is alive.

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;
use uuid::Uuid;

const BEAT: Duration = Duration::from_secs(15);

/// Runs until `stop` turns true.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let id = Uuid::now_v7();
    tracing::info!(worker_id = %id, "worker started");
    loop {
        beat(&state, id).await;
        tokio::select! {
            _ = tokio::time::sleep(BEAT) => {}
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
