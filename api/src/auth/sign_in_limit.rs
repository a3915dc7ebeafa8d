//! Limits on password sign-in, counted in Redis: wrong attempts per phone number (to stop guessing one account's
//! password) and all attempts per client address (to stop trying many accounts). Unknown phones count like known
//! ones, so the limit tells nothing about which accounts exist. Redis holds only a hash of the phone number.

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use sha2::{Digest, Sha256};

/// The counters of one attempt.
pub struct Attempt {
    phone_key: String,
}

/// Counts an attempt from `ip` for `phone` and refuses it when either limit is spent.
/// When Redis is away the attempt goes ahead (sign-in matters more than the limit) and the log says so.
pub async fn begin(state: &AppState, phone: &str, ip: &str) -> ApiResult<Attempt> {
    let limits = state.config.sign_in_limits;
    let window = limits.window.as_secs();
    let phone_key = format!(
        "signin:phone:{}",
        infra::encoding::hex(&Sha256::digest(phone.as_bytes())[..16])
    );
    let ip_key = format!("signin:ip:{ip}");
    let checked = async {
        let (ip_count, ip_ttl) = state.redis.hit(&ip_key, window).await?;
        let (phone_count, phone_ttl) = state.redis.count(&phone_key).await?;
        Ok::<_, String>(if ip_count > limits.per_ip {
            Some(ip_ttl)
        } else if phone_count >= limits.per_phone {
            Some(phone_ttl)
        } else {
            None
        })
    }
    .await;
    match checked {
        Ok(Some(retry_after)) => {
            let mut err = ApiError::new(
                ErrorCode::RateLimited,
                format!("too many sign-in attempts; try again in {retry_after} seconds"),
            );
            err.retry_after = Some(retry_after.max(1));
            Err(err)
        }
        Ok(None) => Ok(Attempt { phone_key }),
        Err(why) => {
            tracing::warn!(%why, "Redis unavailable; sign-in attempts are not being limited");
            Ok(Attempt { phone_key })
        }
    }
}

impl Attempt {
    /// Counts a wrong phone or password against the phone number.
    pub async fn failed(self, state: &AppState) {
        let window = state.config.sign_in_limits.window.as_secs();
        if let Err(why) = state.redis.hit(&self.phone_key, window).await {
            tracing::warn!(%why, "Redis unavailable; a failed sign-in was not counted");
        }
    }
}
