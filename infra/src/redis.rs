//! Redis: schedules, caches and locks that can always be rebuilt from PostgreSQL.
//! The service starts and serves without it; what needs it fails fast and readiness says so.
//!
//! `REDIS_URL` names one server (`redis://host:6379/0`), a Redis Cluster (`redis+cluster://host1:7000,host2:7001`,
//! any of its nodes or a managed cluster's configuration endpoint: the client learns the rest and follows slots as
//! they move), or the master a set of Sentinels watches (`redis+sentinel://host1:26379,host2:26379/mymaster`: asked
//! for the master on every new connection, so a failover is followed). Keys a script touches together share one
//! hash tag (`Redis::tagged`), so a cluster keeps them in one slot.

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, Pipeline, RedisFuture, Value};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;
use tokio::sync::Mutex;

/// What `REDIS_URL` names.
enum Topology {
    Single(redis::Client),
    Cluster(redis::cluster::ClusterClient),
    Sentinel(Mutex<redis::sentinel::SentinelClient>),
}

/// A connection to whichever topology the deployment runs; commands and scripts take it as any other.
#[derive(Clone)]
pub enum Conn {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Conn::Single(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Conn::Single(c) => c.req_packed_commands(cmd, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Single(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }
}

/// A shared, lazily connected Redis handle whose keys all start with one prefix.
pub struct Redis {
    topology: Topology,
    conn: Mutex<Option<Conn>>,
    prefix: String,
}

/// How long a connection attempt and a command may take: Redis answers in microseconds or is not there.
const TIMEOUT: Duration = Duration::from_secs(1);

impl Redis {
    /// # Errors
    /// When the URL cannot be parsed.
    pub fn new(url: &SecretString, prefix: &str) -> anyhow::Result<Self> {
        Ok(Self {
            topology: topology(url.expose_secret())?,
            conn: Mutex::new(None),
            prefix: prefix.to_owned(),
        })
    }

    /// `suffix` under this deployment's prefix.
    #[must_use]
    pub fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    /// `suffix` of the key group `group`, under this deployment's prefix and in the group's hash tag: every key of
    /// a group lives in one cluster slot, so one script may touch several of them.
    #[must_use]
    pub fn tagged(&self, group: &str, suffix: &str) -> String {
        format!("{{{}{group}}}:{suffix}", self.prefix)
    }

    #[must_use]
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A connection, opened on first use; reconnection after a drop is the connection's own (the single server's
    /// manager, the cluster's slot map). Behind Sentinels, a connection that failed is dropped by `failed`, and the
    /// next one goes to whichever server the Sentinels then name the master.
    ///
    /// # Errors
    /// When Redis cannot be reached within a second.
    pub async fn conn(&self) -> redis::RedisResult<Conn> {
        let mut slot = self.conn.lock().await;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let manager = || {
            ConnectionManagerConfig::new()
                .set_connection_timeout(TIMEOUT)
                .set_response_timeout(TIMEOUT)
                .set_number_of_retries(1)
        };
        let c = match &self.topology {
            Topology::Single(client) => Conn::Single(client.get_connection_manager_with_config(manager()).await?),
            Topology::Cluster(client) => Conn::Cluster(client.get_async_connection().await?),
            Topology::Sentinel(sentinel) => {
                let client = sentinel.lock().await.async_get_client().await?;
                Conn::Single(client.get_connection_manager_with_config(manager()).await?)
            }
        };
        *slot = Some(c.clone());
        Ok(c)
    }

    /// Tells the handle a command failed with `e`: behind Sentinels, a lost connection or a master turned replica
    /// (`READONLY`) means a failover may have happened, so the next connection asks the Sentinels again.
    pub async fn failed(&self, e: &redis::RedisError) {
        // A write in a script on a demoted master fails inside the script: its READONLY comes wrapped, so the text
        // is read as well as the kind.
        let moved = e.is_io_error()
            || e.is_connection_dropped()
            || e.is_connection_refusal()
            || e.kind() == redis::ErrorKind::ReadOnly
            || e.code() == Some("READONLY")
            || e.to_string().contains("READONLY");
        if moved && matches!(self.topology, Topology::Sentinel(_)) {
            self.conn.lock().await.take();
        }
    }

    /// Runs `work` on a connection; a failure is reported to `failed` before it is returned.
    ///
    /// # Errors
    /// Redis's, when it cannot be reached or refuses.
    pub async fn with<T, F, Fut>(&self, work: F) -> redis::RedisResult<T>
    where
        F: FnOnce(Conn) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let result = match self.conn().await {
            Ok(c) => work(c).await,
            Err(e) => Err(e),
        };
        if let Err(e) = &result {
            self.failed(e).await;
        }
        result
    }

    /// Does Redis answer PING?
    ///
    /// # Errors
    /// A short reason it does not, fit for a readiness report.
    pub async fn ping(&self) -> Result<(), String> {
        let result: redis::RedisResult<String> = self
            .with(|mut c| async move { redis::cmd("PING").query_async(&mut c).await })
            .await;
        result.map(|_| ()).map_err(|e| describe(&e))
    }

    /// Runs one command, mapping failures to a short reason.
    async fn run<T: redis::FromRedisValue>(&self, cmd: redis::Cmd) -> Result<T, String> {
        let result: redis::RedisResult<T> = self.with(|mut c| async move { cmd.query_async(&mut c).await }).await;
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

    /// Sets `field` of the hash `key` (a full key, from `tagged`) to `value`, and removes `stale` fields.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn hash_put(&self, key: &str, field: &str, value: &str, stale: &[String]) -> Result<(), String> {
        let mut pipe = redis::pipe();
        pipe.cmd("HSET").arg(key).arg(field).arg(value).ignore();
        if !stale.is_empty() {
            pipe.cmd("HDEL").arg(key).arg(stale).ignore();
        }
        let result: redis::RedisResult<()> = self.with(|mut c| async move { pipe.query_async(&mut c).await }).await;
        result.map_err(|e| describe(&e))
    }

    /// Every field of the hash `key` (a full key, from `tagged`).
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn hash_all(&self, key: &str) -> Result<Vec<(String, String)>, String> {
        self.run(redis::cmd("HGETALL").arg(key).clone()).await
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

/// Reads `REDIS_URL`: one server, a cluster's nodes, or Sentinels and the master's name.
fn topology(url: &str) -> redis::RedisResult<Topology> {
    let invalid = |what: &'static str| redis::RedisError::from((redis::ErrorKind::InvalidClientConfig, what));
    if let Some((scheme, rest)) = url.split_once("+cluster://") {
        let (auth, hosts) = userinfo(rest);
        let nodes: Vec<String> = hosts
            .split(',')
            .filter(|h| !h.is_empty())
            .map(|h| format!("{scheme}://{auth}{}", h.trim_end_matches('/')))
            .collect();
        if nodes.is_empty() {
            return Err(invalid("redis+cluster:// names no node"));
        }
        let client = redis::cluster::ClusterClient::builder(nodes)
            .connection_timeout(TIMEOUT)
            .response_timeout(TIMEOUT)
            // A failover moves slots within a few seconds: retry across that rather than fail a claim or a lock.
            .retries(6)
            .min_retry_wait(100)
            .max_retry_wait(1_000)
            .build()?;
        return Ok(Topology::Cluster(client));
    }
    if let Some((scheme, rest)) = url.split_once("+sentinel://") {
        let (auth, rest) = userinfo(rest);
        let (hosts, path) = rest
            .split_once('/')
            .ok_or_else(|| invalid("redis+sentinel:// names no master"))?;
        let (master, db) = path.split_once('/').unwrap_or((path, "0"));
        if master.is_empty() {
            return Err(invalid("redis+sentinel:// names no master"));
        }
        let sentinels: Vec<String> = hosts
            .split(',')
            .filter(|h| !h.is_empty())
            .map(|h| format!("{scheme}://{h}"))
            .collect();
        // The master's password (and database) are those of the URL; the Sentinels themselves are asked without.
        let node = redis::IntoConnectionInfo::into_connection_info(format!("{scheme}://{auth}127.0.0.1/{db}"))?;
        let client = redis::sentinel::SentinelClient::build(
            sentinels,
            master.to_owned(),
            Some(redis::sentinel::SentinelNodeConnectionInfo {
                tls_mode: None,
                redis_connection_info: Some(node.redis),
            }),
            redis::sentinel::SentinelServerType::Master,
        )?;
        return Ok(Topology::Sentinel(Mutex::new(client)));
    }
    Ok(Topology::Single(redis::Client::open(url)?))
}

/// `user:secret@rest` → (`user:secret@`, `rest`); no userinfo → (``, the whole).
fn userinfo(rest: &str) -> (&str, &str) {
    match rest.rfind('@') {
        Some(at) => (&rest[..=at], &rest[at + 1..]),
        None => ("", rest),
    }
}
