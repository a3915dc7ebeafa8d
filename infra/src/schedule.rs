//! The deadline schedule in Redis: a sorted set of `{deadline}:{step}` scored by the moment the step is due, so the
//! worker finds what is due without scanning PostgreSQL. A worker claims due entries with one Lua script that moves
//! them to a second sorted set scored by when the claim runs out; finished entries leave it, and entries of a
//! worker that died are claimed again once their lease has run out. PostgreSQL keeps what each deadline does next
//! (`deadlines.next_step`, `next_at`): the schedule is rebuilt from it whenever the marker key is missing (Redis
//! restarted empty, or was flushed) and now and then besides. The three keys share one hash tag, so a Redis Cluster
//! keeps them in one slot and the claim script may touch two of them.

use crate::redis::Redis;
use chrono::{DateTime, Duration, Utc};
use domain::issue::warning::Step;
use uuid::Uuid;

/// The key group (hash tag) of the schedule's keys.
const GROUP: &str = "schedule";
const DUE: &str = "due";
const CLAIMED: &str = "claimed";
const BUILT: &str = "built";

/// One thing to do for one deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entry {
    pub deadline: Uuid,
    pub step: Step,
}

impl Entry {
    fn member(self) -> String {
        format!("{}:{}", self.deadline, self.step)
    }

    fn parse(member: &str) -> Option<Self> {
        let (id, step) = member.split_once(':')?;
        Some(Entry {
            deadline: id.parse().ok()?,
            step: step.parse().ok()?,
        })
    }
}

const CLAIM: &str = r"
local now, until_, limit = tonumber(ARGV[1]), tonumber(ARGV[1]) + tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)) do
  redis.call('ZADD', KEYS[2], until_, m)
  out[#out + 1] = m
end
if #out < limit then
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit - #out)) do
    redis.call('ZREM', KEYS[1], m)
    redis.call('ZADD', KEYS[2], until_, m)
    out[#out + 1] = m
  end
end
return out
";

/// The schedule of one deployment (under its Redis prefix).
pub struct Schedule<'a> {
    redis: &'a Redis,
}

impl<'a> Schedule<'a> {
    #[must_use]
    pub fn new(redis: &'a Redis) -> Self {
        Schedule { redis }
    }

    fn key(&self, which: &str) -> String {
        self.redis.tagged(GROUP, which)
    }

    /// Puts entries on the schedule (an entry already there moves to its new moment).
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn add(&self, entries: &[(Entry, DateTime<Utc>)]) -> redis::RedisResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let due = self.key(DUE);
        self.redis
            .with(|mut conn| async move {
                for chunk in entries.chunks(5_000) {
                    let mut cmd = redis::cmd("ZADD");
                    cmd.arg(&due);
                    for (e, at) in chunk {
                        cmd.arg(at.timestamp_millis()).arg(e.member());
                    }
                    cmd.query_async::<()>(&mut conn).await?;
                }
                Ok(())
            })
            .await
    }

    /// Claims up to `limit` entries due at `now` (first those whose earlier claim ran out), for `lease`.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn claim(&self, now: DateTime<Utc>, lease: Duration, limit: usize) -> redis::RedisResult<Vec<Entry>> {
        static SCRIPT: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| redis::Script::new(CLAIM));
        let mut script = SCRIPT.prepare_invoke();
        script
            .key(self.key(DUE))
            .key(self.key(CLAIMED))
            .arg(now.timestamp_millis())
            .arg(lease.num_milliseconds())
            .arg(limit);
        let members: Vec<String> = self
            .redis
            .with(|mut conn| async move { script.invoke_async(&mut conn).await })
            .await?;
        Ok(members.iter().filter_map(|m| Entry::parse(m)).collect())
    }

    /// Entries this worker finished (acted on, or found stale).
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn finish(&self, entries: &[Entry]) -> redis::RedisResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut cmd = redis::cmd("ZREM");
        cmd.arg(self.key(CLAIMED));
        for e in entries {
            cmd.arg(e.member());
        }
        self.redis
            .with(|mut conn| async move { cmd.query_async::<()>(&mut conn).await })
            .await
    }

    /// Is the schedule known to be complete (rebuilt since Redis last lost it)?
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn is_built(&self) -> redis::RedisResult<bool> {
        let cmd = redis::cmd("EXISTS").arg(self.key(BUILT)).clone();
        self.redis
            .with(|mut conn| async move { cmd.query_async(&mut conn).await })
            .await
    }

    /// Marks the schedule complete, after a rebuild.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn mark_built(&self, at: DateTime<Utc>) -> redis::RedisResult<()> {
        let cmd = redis::cmd("SET").arg(self.key(BUILT)).arg(at.to_rfc3339()).clone();
        self.redis
            .with(|mut conn| async move { cmd.query_async(&mut conn).await })
            .await
    }

    /// How many entries wait and how many are claimed, and when the earliest waiting one fell due (the lag).
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn sizes(&self) -> redis::RedisResult<Sizes> {
        let mut pipe = redis::pipe();
        pipe.cmd("ZCARD")
            .arg(self.key(DUE))
            .cmd("ZCARD")
            .arg(self.key(CLAIMED))
            .cmd("ZRANGE")
            .arg(self.key(DUE))
            .arg(0)
            .arg(0)
            .arg("WITHSCORES");
        let (due, claimed, first): (u64, u64, Vec<(String, i64)>) = self
            .redis
            .with(|mut conn| async move { pipe.query_async(&mut conn).await })
            .await?;
        Ok(Sizes {
            due,
            claimed,
            earliest: first
                .first()
                .and_then(|(_, millis)| DateTime::<Utc>::from_timestamp_millis(*millis)),
        })
    }
}

/// The schedule's size, for the operator's gauges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Entries waiting for their moment.
    pub due: u64,
    /// Entries a worker has claimed and not finished.
    pub claimed: u64,
    /// When the earliest waiting entry falls (or fell) due.
    pub earliest: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_name_the_deadline_and_the_step() {
        let e = Entry {
            deadline: Uuid::from_u128(7),
            step: Step::Escalate,
        };
        assert_eq!(Entry::parse(&e.member()), Some(e));
        assert_eq!(Entry::parse("nonsense"), None);
    }
}
