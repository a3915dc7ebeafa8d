//! The gauges an operator scales on, read when `/metrics` is scraped: the deadline schedule (Redis), the outbox
//! (PostgreSQL), the connection pools of this process and of every live worker (each reports its own with its beat),
//! and the read replica's lag. What cannot be read this time is left out, not guessed.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use infra::db::outbox::Backlog;
use infra::schedule::{Schedule, Sizes};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One pool of one process, as it was last seen.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolReading {
    pub role: String,
    pub instance: String,
    /// `primary` or `replica`.
    pub pool: String,
    pub max: usize,
    pub open: usize,
    pub idle: usize,
    pub waiting: usize,
}

/// A worker's beat: when, and its pools.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Beat {
    pub at: DateTime<Utc>,
    pub pools: Vec<PoolReading>,
}

impl Beat {
    /// Whether the worker that beat was alive at `now`: it beats every 15 seconds, so a beat older than
    /// `BEAT_LIVES` is a worker that stopped.
    #[must_use]
    pub fn alive(&self, now: DateTime<Utc>) -> bool {
        (now - self.at).to_std().is_ok_and(|age| age <= BEAT_LIVES)
    }
}

/// Where the workers' beats are kept: one hash, a field per worker.
pub const BEATS: (&str, &str) = ("workers", "beats");
/// A beat older than this is a worker that stopped.
pub const BEAT_LIVES: Duration = Duration::from_secs(45);

pub struct Gauges {
    now: DateTime<Utc>,
    schedule: Option<Sizes>,
    outbox: Option<Backlog>,
    pools: Vec<PoolReading>,
    replica: Replica,
}

/// The read replica as the gauges see it.
enum Replica {
    None,
    Within(Duration),
    /// Beyond its bound, or not measured.
    Beyond,
}

/// This process's pools now.
#[must_use]
pub fn own_pools(state: &AppState) -> Vec<PoolReading> {
    let reading = |pool: &str, status: infra::db::pool::PoolStatus| PoolReading {
        role: state.metrics.role().to_owned(),
        instance: state.metrics.instance().to_string(),
        pool: pool.to_owned(),
        max: status.max_size,
        open: status.size,
        idle: status.available,
        waiting: status.waiting,
    };
    let mut pools = vec![reading("primary", state.db.status())];
    if let Some(replica) = &state.replica {
        pools.push(reading("replica", replica.pool().status()));
    }
    pools
}

/// Reads every gauge, the slow parts at once.
pub async fn read(state: &AppState) -> Gauges {
    let outbox = async {
        let mut conn = infra::db::pool::conn(&state.db).await.ok()?;
        infra::db::outbox::backlog(&mut conn).await.ok()
    };
    let schedule = async { Schedule::new(&state.redis).sizes().await.ok() };
    let beats_key = state.redis.tagged(BEATS.0, BEATS.1);
    let beats = state.redis.hash_all(&beats_key);
    let (outbox, schedule, beats) = futures_util::join!(outbox, schedule, beats);
    // The beats go by the wall clock (housekeeping); the schedule and the outbox by the service's clock.
    let now = Utc::now();
    let mut pools = own_pools(state);
    let own = state.metrics.instance().to_string();
    for (worker, beat) in beats.unwrap_or_default() {
        let Ok(beat) = serde_json::from_str::<Beat>(&beat) else {
            continue;
        };
        if beat.alive(now) && worker != own {
            pools.extend(beat.pools);
        }
    }
    Gauges {
        now: state.clock.now(),
        schedule,
        outbox,
        pools,
        replica: match state.replica.as_ref().map(|r| r.lag()) {
            None => Replica::None,
            Some(Some(lag)) => Replica::Within(lag),
            Some(None) => Replica::Beyond,
        },
    }
}

impl Gauges {
    /// Every value: the gauge's name, its label values, the value.
    #[must_use]
    // Prometheus's values are floats; the counts here stay far below the 2^52 a float holds exactly.
    #[allow(clippy::cast_precision_loss)]
    pub fn values(&self) -> Vec<(&'static str, Vec<String>, f64)> {
        let seconds = |d: chrono::Duration| d.num_milliseconds().max(0) as f64 / 1000.0;
        let mut out = Vec::new();
        if let Some(s) = &self.schedule {
            out.push(("minsheng_schedule_entries", vec!["due".to_owned()], s.due as f64));
            out.push((
                "minsheng_schedule_entries",
                vec!["claimed".to_owned()],
                s.claimed as f64,
            ));
            let lag = s.earliest.map_or(0.0, |at| seconds(self.now - at));
            out.push(("minsheng_schedule_lag_seconds", vec![], lag));
        }
        if let Some(o) = &self.outbox {
            out.push(("minsheng_outbox_messages", vec!["pending".to_owned()], o.pending as f64));
            out.push(("minsheng_outbox_messages", vec!["dead".to_owned()], o.dead as f64));
            let age = o.oldest_pending.map_or(0.0, |at| seconds(self.now - at));
            out.push(("minsheng_outbox_oldest_pending_seconds", vec![], age));
        }
        for p in &self.pools {
            for (state, value) in [
                ("max", p.max),
                ("open", p.open),
                ("idle", p.idle),
                ("in_use", p.open.saturating_sub(p.idle)),
                ("waiting", p.waiting),
            ] {
                let labels = vec![p.role.clone(), p.instance.clone(), p.pool.clone(), state.to_owned()];
                out.push(("minsheng_db_pool_connections", labels, value as f64));
            }
        }
        match self.replica {
            Replica::None => {}
            Replica::Within(lag) => out.push(("minsheng_db_replica_lag_seconds", vec![], lag.as_secs_f64())),
            Replica::Beyond => out.push(("minsheng_db_replica_lag_seconds", vec![], -1.0)),
        }
        out
    }
}
