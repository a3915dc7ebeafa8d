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

    /// Sets `key` (under the prefix) to `value` for `seconds`.
    ///
    /// # Errors
    /// When Redis cannot be reached.
    pub async fn set_ex(&self, key: &str, value: &str, seconds: u64) -> Result<(), String> {
        let result: redis::RedisResult<()> = async {
            let mut c = self.conn().await?;
            redis::cmd("SET")
                .arg(self.key(key))
                .arg(value)
                .arg("EX")
                .arg(seconds)
                .query_async(&mut c)
                .await
        }
        .await;
        result.map_err(|e| describe(&e))
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
