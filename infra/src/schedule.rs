//! The deadline schedule in Redis: a sorted set of `{deadline}:{step}` scored by the moment the step is due, so the
//! worker finds what is due without scanning PostgreSQL. A worker claims due entries with one Lua script that moves
//! them to a second sorted set scored by when the claim runs out; finished entries leave it, and entries of a
//! worker that died are claimed again once their lease has run out. PostgreSQL keeps what each deadline does next
//! (`deadlines.next_step`, `next_at`): the schedule is rebuilt from it whenever the marker key is missing (Redis
//! restarted empty, or was flushed) and now and then besides.

use crate::redis::Redis;
use chrono::{DateTime, Duration, Utc};
use domain::issue::warning::Step;
use uuid::Uuid;

const DUE: &str = "schedule:due";
const CLAIMED: &str = "schedule:claimed";
const BUILT: &str = "schedule:built";

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

    /// Puts entries on the schedule (an entry already there moves to its new moment).
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn add(&self, entries: &[(Entry, DateTime<Utc>)]) -> redis::RedisResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut conn = self.redis.conn().await?;
        for chunk in entries.chunks(5_000) {
            let mut cmd = redis::cmd("ZADD");
            cmd.arg(self.redis.key(DUE));
            for (e, at) in chunk {
                cmd.arg(at.timestamp_millis()).arg(e.member());
            }
            cmd.query_async::<()>(&mut conn).await?;
        }
        Ok(())
    }

    /// Claims up to `limit` entries due at `now` (first those whose earlier claim ran out), for `lease`.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn claim(&self, now: DateTime<Utc>, lease: Duration, limit: usize) -> redis::RedisResult<Vec<Entry>> {
        let mut conn = self.redis.conn().await?;
        let members: Vec<String> = redis::Script::new(CLAIM)
            .key(self.redis.key(DUE))
            .key(self.redis.key(CLAIMED))
            .arg(now.timestamp_millis())
            .arg(lease.num_milliseconds())
            .arg(limit)
            .invoke_async(&mut conn)
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
        let mut conn = self.redis.conn().await?;
        let mut cmd = redis::cmd("ZREM");
        cmd.arg(self.redis.key(CLAIMED));
        for e in entries {
            cmd.arg(e.member());
        }
        cmd.query_async::<()>(&mut conn).await
    }

    /// Is the schedule known to be complete (rebuilt since Redis last lost it)?
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn is_built(&self) -> redis::RedisResult<bool> {
        let mut conn = self.redis.conn().await?;
        redis::cmd("EXISTS")
            .arg(self.redis.key(BUILT))
            .query_async(&mut conn)
            .await
    }

    /// Marks the schedule complete, after a rebuild.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn mark_built(&self, at: DateTime<Utc>) -> redis::RedisResult<()> {
        let mut conn = self.redis.conn().await?;
        redis::cmd("SET")
            .arg(self.redis.key(BUILT))
            .arg(at.to_rfc3339())
            .query_async(&mut conn)
            .await
    }

    /// How many entries wait and how many are claimed.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn sizes(&self) -> redis::RedisResult<(u64, u64)> {
        let mut conn = self.redis.conn().await?;
        let due: u64 = redis::cmd("ZCARD")
            .arg(self.redis.key(DUE))
            .query_async(&mut conn)
            .await?;
        let claimed: u64 = redis::cmd("ZCARD")
            .arg(self.redis.key(CLAIMED))
            .query_async(&mut conn)
            .await?;
        Ok((due, claimed))
    }
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
