//! A streaming replica for the reads that may lag a moment (statistics, bulletins, public pages, hot spots, topics,
//! the ranking), and how far behind it is. The lag is measured in time by write-ahead-log positions: now and then the
//! primary's current position is noted with the moment; the replica has replayed everything up to the newest noted
//! position not beyond its own replay position, so it is behind by at most the time since that note. A replica that
//! is further behind than allowed, or that does not answer, is passed over and the primary answers.

use super::pool::{self, Conn, DbPool};
use super::DbError;
use diesel::sql_types::Text;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often the lag is measured (at most; only while reads arrive).
const SAMPLE_EVERY: Duration = Duration::from_secs(1);
/// Notes kept: enough to measure up to ten minutes of lag at one a second.
const NOTES_KEPT: usize = 600;

pub struct Replica {
    pool: DbPool,
    max_lag: Duration,
    measure: tokio::sync::Mutex<Measure>,
    /// The last judgement: the lag, when it is known to be within bounds.
    lag: Mutex<Option<Duration>>,
}

#[derive(Default)]
struct Measure {
    taken: Option<Instant>,
    /// The primary's positions with when they were noted, oldest first.
    notes: VecDeque<(Instant, u64)>,
}

#[derive(QueryableByName)]
struct Position {
    #[diesel(sql_type = Text)]
    lsn: String,
}

impl Replica {
    /// # Errors
    /// When the pool cannot be configured.
    pub fn new(url: &secrecy::SecretString, size: usize, max_lag: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            pool: pool::build(url, size)?,
            max_lag,
            measure: tokio::sync::Mutex::new(Measure::default()),
            lag: Mutex::new(None),
        })
    }

    #[must_use]
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// How far behind the replica was at the last measure; `None` when unknown or beyond the bound.
    #[must_use]
    pub fn lag(&self) -> Option<Duration> {
        self.lag.lock().map_or(None, |l| *l)
    }

    /// A connection to the replica when it is within its bound (measuring it first when the last measure is a
    /// second old); `None` when reads should go to the primary.
    pub async fn conn(&self, primary: &DbPool) -> Option<Conn> {
        self.measure(primary).await;
        self.lag()?;
        pool::conn(&self.pool).await.ok()
    }

    /// Measures the lag unless another request is measuring or the last measure is fresh.
    async fn measure(&self, primary: &DbPool) {
        let Ok(mut m) = self.measure.try_lock() else {
            return;
        };
        if m.taken.is_some_and(|t| t.elapsed() < SAMPLE_EVERY) {
            return;
        }
        let now = Instant::now();
        m.taken = Some(now);
        let judged = match futures_util::join!(position(primary, false), position(&self.pool, true)) {
            (Ok(at_primary), Ok(replayed)) => {
                m.notes.push_back((now, at_primary));
                while m.notes.len() > NOTES_KEPT {
                    m.notes.pop_front();
                }
                behind(&mut m.notes, now, replayed).filter(|lag| *lag <= self.max_lag)
            }
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "could not measure the read replica's lag; reading from the primary");
                None
            }
        };
        if let Ok(mut lag) = self.lag.lock() {
            *lag = judged;
        }
    }
}

/// How far behind a replica that has replayed up to `replayed` is, given the primary's noted positions: the time
/// since the newest note it has passed (none passed: at least the oldest note's age, beyond any use). Notes older
/// than the newest passed one are forgotten.
fn behind(notes: &mut VecDeque<(Instant, u64)>, now: Instant, replayed: u64) -> Option<Duration> {
    let passed = notes.iter().rposition(|(_, lsn)| *lsn <= replayed)?;
    notes.drain(..passed);
    notes.front().map(|(at, _)| now.duration_since(*at))
}

/// The primary's current write-ahead-log position, or the replica's replay position.
async fn position(pool: &DbPool, replica: bool) -> Result<u64, DbError> {
    let mut c = pool::conn(pool).await?;
    let sql = if replica {
        "SELECT coalesce(pg_last_wal_replay_lsn(), '0/0')::text AS lsn"
    } else {
        "SELECT pg_current_wal_lsn()::text AS lsn"
    };
    let row: Position = diesel::sql_query(sql).get_result(&mut c).await?;
    Ok(parse_lsn(&row.lsn).unwrap_or(0))
}

/// `16/B374D848` → the position as one number.
fn parse_lsn(lsn: &str) -> Option<u64> {
    let (high, low) = lsn.split_once('/')?;
    Some((u64::from_str_radix(high, 16).ok()? << 32) | u64::from_str_radix(low, 16).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_as_numbers_and_the_lag_is_the_age_of_the_newest_passed_note() {
        assert_eq!(parse_lsn("0/0"), Some(0));
        assert_eq!(parse_lsn("16/B374D848"), Some((0x16 << 32) | 0xB374_D848));
        assert_eq!(parse_lsn("nonsense"), None);
        let start = Instant::now();
        let at = |s: u64| start + Duration::from_secs(s);
        let mut notes: VecDeque<(Instant, u64)> = [(at(0), 100), (at(1), 200), (at(2), 300)].into();
        // Replayed past the second note only: behind by the time since it.
        assert_eq!(behind(&mut notes, at(3), 250), Some(Duration::from_secs(2)));
        assert_eq!(notes.len(), 2, "older notes are forgotten");
        // Caught up with the newest: behind by its age.
        assert_eq!(behind(&mut notes, at(3), 300), Some(Duration::from_secs(1)));
        // Not even the oldest note passed: unknown, so not used.
        let mut notes: VecDeque<(Instant, u64)> = [(at(0), 100)].into();
        assert_eq!(behind(&mut notes, at(5), 50), None);
    }
}
