//! The background worker. It runs beside the API (`minsheng serve`) or alone (`minsheng worker`) so that
//! background work can scale apart from requests. Every tick it takes the deadline steps that fell due from the
//! Redis schedule (`supervise`), delivers queued messages (`deliver`) and settles held ballot papers (`papers`); every
//! beat it announces itself and its connection pools in Redis
//! (so operators can see it is alive, and `/metrics` shows its pools), forgets idempotency keys older than a day and refresh tokens that expired,
//! retires delivered outbox messages and read notifications past their retention,
//! and keeps the WeChat access token fresh so that requests rarely wait for one. Every job is safe to run on several
//! workers at once.

pub mod deliver;
pub mod milestones;
pub mod papers;
pub mod supervise;

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;
use uuid::Uuid;

const BEAT: Duration = Duration::from_secs(15);
/// How long a create command's answer is remembered for retries.
const IDEMPOTENCY_KEYS_KEPT: chrono::Duration = chrono::Duration::hours(24);

/// Runs until `stop` turns true.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    // The process's own id: its beat and its gauges are the same instance's.
    let id = state.metrics.instance();
    tracing::info!(worker_id = %id, "worker started");
    let mut last_beat: Option<std::time::Instant> = None;
    let mut rebuilt: Option<std::time::Instant> = None;
    loop {
        if last_beat.is_none_or(|t| t.elapsed() >= BEAT) {
            last_beat = Some(std::time::Instant::now());
            beat(&state, id).await;
            purge_idempotency_keys(&state).await;
            purge_refresh_tokens(&state).await;
            retire(&state).await;
            cover_timeline(&state).await;
            tally(&state).await;
            keep_wechat_token_fresh(&state).await;
        }
        supervise::rebuild_when_needed(&state, &mut rebuilt).await;
        supervise::tick(&state).await;
        deliver::tick(&state).await;
        papers::tick(&state).await;
        tokio::select! {
            () = tokio::time::sleep(state.config.worker.tick) => {}
            _ = stop.changed() => break,
        }
    }
    tracing::info!(worker_id = %id, "worker stopped");
}

/// A worker's beat: its pools and the moment, in one hash of every worker's beats; beats older than their life are
/// removed as each worker beats. A worker that stops beating drops out of the gauges. The beat, like the purges
/// below, goes by the wall clock: it is housekeeping of this process and its keys, not business time (`state.clock`,
/// which deadlines, events and records are stamped by).
async fn beat(state: &AppState, id: Uuid) {
    use crate::app::gauges::{own_pools, Beat, BEATS};
    let now = chrono::Utc::now();
    let key = state.redis.tagged(BEATS.0, BEATS.1);
    let gone: Vec<String> = match state.redis.hash_all(&key).await {
        Ok(beats) => beats
            .into_iter()
            .filter(|(_, b)| serde_json::from_str::<Beat>(b).map_or(true, |b| !b.alive(now)))
            .map(|(worker, _)| worker)
            .collect(),
        Err(_) => Vec::new(),
    };
    let beat = Beat {
        at: now,
        pools: own_pools(state),
    };
    let written = match serde_json::to_string(&beat) {
        Ok(json) => state.redis.hash_put(&key, &id.to_string(), &json, &gone).await,
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = written {
        tracing::warn!(error = %e, "worker could not reach Redis; will retry");
    }
}

/// Plain DELETEs by age: two workers running them at once delete disjoint rows or nothing.
async fn purge_idempotency_keys(state: &AppState) {
    let cutoff = chrono::Utc::now() - IDEMPOTENCY_KEYS_KEPT;
    housekeep(state, "forgot old idempotency keys", async |conn| {
        infra::db::idempotency::purge_before(conn, cutoff).await
    })
    .await;
}

/// Refresh tokens past their expiry can never be used; forgetting them keeps the table small. Sessions stay.
async fn purge_refresh_tokens(state: &AppState) {
    let now = chrono::Utc::now();
    housekeep(state, "forgot expired refresh tokens", async |conn| {
        infra::db::sessions::purge_expired_tokens(conn, now).await
    })
    .await;
}

/// Runs one housekeeping statement on the primary and says what it did (`what`: done to how many rows).
async fn housekeep(
    state: &AppState,
    what: &str,
    delete: impl AsyncFnOnce(&mut infra::db::PgConn) -> Result<usize, infra::db::DbError>,
) {
    let purged = match infra::db::pool::conn(&state.db).await {
        Ok(mut conn) => delete(&mut conn).await,
        Err(e) => Err(e),
    };
    match purged {
        Ok(0) => {}
        Ok(n) => tracing::info!(rows = n, "housekeeping: {what}"),
        Err(e) => tracing::warn!(error = %e, "housekeeping failed ({what}); will retry"),
    }
}

/// Rows a retirement deletes in one statement, and statements in one beat: a backlog (the first run on an old
/// database) is worked off over several beats without holding locks long.
const RETIRE_BATCH: i64 = 10_000;
const RETIRE_BATCHES_PER_BEAT: usize = 10;

/// Retires delivered outbox messages and read notifications past their retention (`infra::db::retention`), by the
/// wall clock their ids were made by. Answers how many of each it deleted.
pub async fn retire(state: &AppState) -> (usize, usize) {
    let now = chrono::Utc::now();
    let settings = state.config.worker;
    // Retention is at most ten years (the configuration's bound), so the moment is always representable.
    let age = |kept: Duration| {
        chrono::Duration::from_std(kept)
            .ok()
            .and_then(|kept| now.checked_sub_signed(kept))
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC)
    };
    let (delivered_before, read_before) = (age(settings.retain_delivered), age(settings.retain_read_notifications));
    let mut retired = (0, 0);
    for _ in 0..RETIRE_BATCHES_PER_BEAT {
        let mut deleted = 0;
        housekeep(state, "retired delivered outbox messages", async |conn| {
            let n = infra::db::retention::delivered(conn, delivered_before, RETIRE_BATCH).await?;
            retired.0 += n;
            deleted += n;
            Ok(n)
        })
        .await;
        housekeep(state, "retired read notifications", async |conn| {
            let n = infra::db::retention::read_notifications(conn, read_before, RETIRE_BATCH).await?;
            retired.1 += n;
            deleted += n;
            Ok(n)
        })
        .await;
        if deleted < usize::try_from(RETIRE_BATCH).unwrap_or(usize::MAX) {
            break;
        }
    }
    retired
}

/// Stale marks one fold takes, and folds in one beat: a backlog (every day of an old database, after migration
/// 000035) is worked off over several beats.
const TALLY_MARKS: i64 = 20_000;
const TALLY_FOLDS_PER_BEAT: usize = 10;

/// Tallies again the days of regions whose issues changed (`infra::db::stats::fold`), so that statistics sum fresh
/// tallies instead of scanning those days. Answers how many marks it took.
pub async fn tally(state: &AppState) -> usize {
    let mut tallied = 0;
    for _ in 0..TALLY_FOLDS_PER_BEAT {
        let mut taken = 0;
        housekeep(state, "tallied the days of regions that changed", async |conn| {
            taken = infra::db::stats::fold(conn, TALLY_MARKS).await?;
            Ok(taken)
        })
        .await;
        tallied += taken;
        if taken < usize::try_from(TALLY_MARKS).unwrap_or(usize::MAX) {
            break;
        }
    }
    tallied
}

/// Months of the timeline's partitions made ahead of the current one.
const TIMELINE_MONTHS_AHEAD: u32 = 3;

/// Makes the timeline's partitions for this month and the next few, by the wall clock issue ids are made by, so that
/// reports never land in the default partition (`infra::db::retention::cover_timeline`).
pub async fn cover_timeline(state: &AppState) -> usize {
    let now = chrono::Utc::now();
    let ahead = now
        .checked_add_months(chrono::Months::new(TIMELINE_MONTHS_AHEAD))
        .unwrap_or(now);
    let mut made = 0;
    housekeep(state, "made the timeline's coming partitions", async |conn| {
        made = infra::db::retention::cover_timeline(conn, now, ahead).await?;
        Ok(made)
    })
    .await;
    made
}

/// Fetches the next WeChat access token in the last minutes of the current one (one worker at a time: a Redis lock).
async fn keep_wechat_token_fresh(state: &AppState) {
    if let Some(wechat) = &state.wechat {
        if let Err(e) = wechat.keep_fresh().await {
            tracing::warn!(error = %e, "could not refresh the WeChat access token; will retry");
        }
    }
}
