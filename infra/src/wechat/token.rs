//! The interface access token: fetched with `stable_token`, cached in Redis for every instance, refreshed by one
//! instance at a time (a Redis lock) in the last minutes of its life, and replaced at once when WeChat rejects it.

use super::{parse, retry_when_busy, send, Envelope, WeChatClient, WeChatError};
use secrecy::ExposeSecret;
use serde::Deserialize;
use std::time::Duration;

const TOKEN_KEY: &str = "wechat:access_token";
const LOCK_KEY: &str = "wechat:access_token:lock";
/// WeChat's stable token changes in the last five minutes of its life: refreshing then gets the next one.
const REFRESH_AHEAD_MS: u64 = 5 * 60 * 1000;
const LOCK_MS: u64 = 10_000;
const WAIT_STEP: Duration = Duration::from_millis(100);
const WAIT_STEPS: u32 = 60;

#[derive(Deserialize)]
struct StableToken {
    access_token: String,
    expires_in: u64,
}

impl WeChatClient {
    /// The current access token: from Redis when it has one with life left, else fetched (by one instance).
    ///
    /// # Errors
    /// When no token can be had from WeChat.
    pub async fn access_token(&self) -> Result<String, WeChatError> {
        match self.redis.get_with_ttl(TOKEN_KEY).await {
            Ok(Some((token, ttl))) if ttl > REFRESH_AHEAD_MS => Ok(token),
            // Near its end: one instance fetches the next; the others go on with this one, still valid.
            Ok(Some((token, _))) => Ok(self.refresh(false).await.ok().flatten().unwrap_or(token)),
            Ok(None) => self.refresh_or_wait(false).await,
            Err(why) => {
                // Without Redis there is no sharing, but stable_token in its normal mode hands every caller the
                // same token, so fetching directly is safe.
                tracing::warn!(%why, "Redis unavailable; fetching the WeChat access token without the cache");
                self.fetch(false).await.map(|t| t.access_token)
            }
        }
    }

    /// Refreshes the token in the background's schedule (the worker), so that requests rarely wait for it.
    ///
    /// # Errors
    /// When Redis or WeChat fails.
    pub async fn keep_fresh(&self) -> Result<(), WeChatError> {
        self.access_token().await.map(drop)
    }

    /// Drops `rejected` (if it is still the cached one) and gets another token: WeChat's newest in normal mode, or
    /// a new one by force (`force`, when the newest was refused too).
    pub(super) async fn replace_access_token(&self, rejected: &str, force: bool) -> Result<String, WeChatError> {
        match self.redis.delete_if(TOKEN_KEY, rejected).await {
            Ok(true) => self.refresh_or_wait(force).await,
            // Another instance replaced it already: take what is there now, unless it is the refused one again.
            Ok(false) => match self.access_token().await? {
                cached if cached == rejected => self.fetch(force).await.map(|t| t.access_token),
                cached => Ok(cached),
            },
            Err(_) => self.fetch(force).await.map(|t| t.access_token),
        }
    }

    /// Fetches and caches a token if this instance gets the lock; `None` when another instance holds it.
    async fn refresh(&self, force: bool) -> Result<Option<String>, WeChatError> {
        let holder = uuid::Uuid::new_v4().to_string();
        let locked = self
            .redis
            .set_nx_px(LOCK_KEY, &holder, LOCK_MS)
            .await
            .map_err(WeChatError::Unreachable)?;
        if !locked {
            return Ok(None);
        }
        // Checked again under the lock: another instance may have stored a fresh token between our read of the
        // cache and taking the lock (it released the lock after storing). A forced refresh deleted the rejected
        // token first, so any token here is already its replacement.
        if let Ok(Some((token, ttl))) = self.redis.get_with_ttl(TOKEN_KEY).await {
            if force || ttl > REFRESH_AHEAD_MS {
                self.release(&holder).await;
                return Ok(Some(token));
            }
        }
        let fetched = self.fetch(force).await;
        if let Ok(t) = &fetched {
            // The key dies with the token, so nobody is ever handed an expired one from the cache.
            if let Err(why) = self.redis.set_ex(TOKEN_KEY, &t.access_token, t.expires_in).await {
                tracing::warn!(%why, "could not cache the WeChat access token");
            }
        }
        self.release(&holder).await;
        fetched.map(|t| Some(t.access_token))
    }

    async fn release(&self, holder: &str) {
        if let Err(why) = self.redis.delete_if(LOCK_KEY, holder).await {
            tracing::warn!(%why, "could not release the WeChat token lock; it expires by itself");
        }
    }

    /// Refreshes, or waits for the instance that holds the lock to put a fresh token in Redis.
    async fn refresh_or_wait(&self, force: bool) -> Result<String, WeChatError> {
        for _ in 0..WAIT_STEPS {
            if let Some(token) = self.refresh(force).await? {
                return Ok(token);
            }
            tokio::time::sleep(WAIT_STEP).await;
            if let Ok(Some((token, _))) = self.redis.get_with_ttl(TOKEN_KEY).await {
                return Ok(token);
            }
        }
        Err(WeChatError::Unreachable(
            "another instance is still fetching the access token".to_owned(),
        ))
    }

    /// `POST /cgi-bin/stable_token`.
    async fn fetch(&self, force: bool) -> Result<StableToken, WeChatError> {
        retry_when_busy(|| async {
            let req = self
                .http
                .post(format!("{}/cgi-bin/stable_token", self.base))
                .json(&serde_json::json!({
                    "grant_type": "client_credential",
                    "appid": self.appid,
                    "secret": self.secret.expose_secret(),
                    "force_refresh": force,
                }));
            let body = send(req).await?;
            let envelope: Envelope = parse(&body)?;
            if envelope.errcode != 0 {
                return Err(WeChatError::from_code(envelope.errcode, envelope.errmsg));
            }
            let token: StableToken = parse(&body)?;
            tracing::info!(expires_in = token.expires_in, force, "fetched a WeChat access token");
            Ok(token)
        })
        .await
    }
}
