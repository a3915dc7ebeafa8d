//! Redis: schedules, caches and locks that can always be rebuilt from PostgreSQL.
//! The service starts and serves without it; what needs it fails fast and readiness says so.

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;
use tokio::sync::Mutex;

/// A shared, lazily connected Redis handle whose keys all start with one prefix.
pub struct Redis {
    client: redis::Client,
    manager: Mutex<Option<ConnectionManager>>,
    prefix: String,
}

impl Redis {
    /// # Errors
    /// When the URL cannot be parsed.
    pub fn new(url: &SecretString, prefix: &str) -> anyhow::Result<Self> {
        Ok(Self {
            client: redis::Client::open(url.expose_secret())?,
            manager: Mutex::new(None),
            prefix: prefix.to_owned(),
        })
    }

    /// `suffix` under this deployment's prefix.
    #[must_use]
    pub fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    #[must_use]
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A connection, opened on first use and re-opened by the manager after a drop.
    ///
    /// # Errors
    /// When Redis cannot be reached within a second.
    pub async fn conn(&self) -> redis::RedisResult<ConnectionManager> {
        let mut slot = self.manager.lock().await;
        if let Some(m) = slot.as_ref() {
            return Ok(m.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(1))
            .set_response_timeout(Duration::from_secs(1))
            .set_number_of_retries(1);
        let m = self.client.get_connection_manager_with_config(config).await?;
        *slot = Some(m.clone());
        Ok(m)
    }

    /// Does Redis answer PING?
    ///
    /// # Errors
    /// A short reason it does not, fit for a readiness report.
    pub async fn ping(&self) -> Result<(), String> {
        let result: redis::RedisResult<String> = async {
            let mut c = self.conn().await?;
            redis::cmd("PING").query_async(&mut c).await
        }
        .await;
        result.map(|_| ()).map_err(|e| describe(&e))
    }

    /// Runs one command, mapping failures to a short reason.
    async fn run<T: redis::FromRedisValue>(&self, cmd: redis::Cmd) -> Result<T, String> {
        let result: redis::RedisResult<T> = async {
            let mut c = self.conn().await?;
            cmd.query_async(&mut c).await
        }
        .await;
        result.map_err(|e| describe(&e))
    }

    /// Sets `key` (under the prefix) to `value` for `seconds`.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn set_ex(&self, key: &str, value: &str, seconds: u64) -> Result<(), String> {
        let key = self.key(key);
        self.run(redis::cmd("SET").arg(key).arg(value).arg("EX").arg(seconds).clone())
            .await
    }

    /// Sets `key` to `value` for `millis` only if it is not set: a lock. True when this caller got it.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn set_nx_px(&self, key: &str, value: &str, millis: u64) -> Result<bool, String> {
        let key = self.key(key);
        let set: Option<String> = self
            .run(
                redis::cmd("SET")
                    .arg(key)
                    .arg(value)
                    .arg("NX")
                    .arg("PX")
                    .arg(millis)
                    .clone(),
            )
            .await?;
        Ok(set.is_some())
    }

    /// The value of `key` and its remaining life in milliseconds (`None` when it is not set).
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn get_with_ttl(&self, key: &str) -> Result<Option<(String, u64)>, String> {
        let key = self.key(key);
        let (value, ttl): (Option<String>, i64) = self
            .run({
                redis::cmd("EVAL")
                    .arg("return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}")
                    .arg(1)
                    .arg(key)
                    .clone()
            })
            .await?;
        Ok(value.map(|v| (v, u64::try_from(ttl).unwrap_or(0))))
    }

    /// Deletes `key` only while it still holds `value`: releases a lock or drops a cached value that is known bad
    /// without touching what another instance has put there since.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn delete_if(&self, key: &str, value: &str) -> Result<bool, String> {
        let key = self.key(key);
        let deleted: i64 = self
            .run({
                redis::cmd("EVAL")
                    .arg("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0")
                    .arg(1)
                    .arg(key)
                    .arg(value)
                    .clone()
            })
            .await?;
        Ok(deleted == 1)
    }

    /// Counts one more event in the fixed window `key` (which lives `window` seconds from its first event).
    /// Returns the count so far and the seconds until the window closes.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn hit(&self, key: &str, window: u64) -> Result<(u64, u64), String> {
        let key = self.key(key);
        let (count, ttl): (u64, i64) = self
            .run({
                redis::cmd("EVAL")
                    .arg(
                        "local n = redis.call('INCR', KEYS[1]) \
                         if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end \
                         return {n, redis.call('TTL', KEYS[1])}",
                    )
                    .arg(1)
                    .arg(key)
                    .arg(window)
                    .clone()
            })
            .await?;
        Ok((count, u64::try_from(ttl).unwrap_or(window)))
    }

    /// The count in the fixed window `key` without adding to it, and the seconds until it closes.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn count(&self, key: &str) -> Result<(u64, u64), String> {
        let key = self.key(key);
        let (count, ttl): (Option<u64>, i64) = self
            .run({
                redis::cmd("EVAL")
                    .arg("return {redis.call('GET', KEYS[1]), redis.call('TTL', KEYS[1])}")
                    .arg(1)
                    .arg(key)
                    .clone()
            })
            .await?;
        Ok((count.unwrap_or(0), u64::try_from(ttl).unwrap_or(0)))
    }
}

fn describe(e: &redis::RedisError) -> String {
    if e.is_connection_refusal() {
        "connection refused".to_owned()
    } else if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_io_error() || e.is_connection_dropped() {
        "connection lost".to_owned()
    } else {
        format!("{:?}", e.kind())
    }
}
