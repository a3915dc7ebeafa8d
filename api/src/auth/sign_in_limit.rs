//! Limits on password sign-in, counted in Redis: wrong attempts per phone number (to stop guessing one account's
//! password) and all attempts per client address (to stop trying many accounts). Unknown phones count like known
//! ones, so the limit tells nothing about which accounts exist. Redis holds only a hash of the phone number.
//!
//! When Redis does not answer, each process counts in its own memory instead (`LocalWindows`), with the same limits
//! and window: the limit still holds, per instance, until Redis is back (with N instances behind a balancer an
//! attacker gets at most N times the attempts while Redis is away).

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The counters of one attempt.
pub struct Attempt {
    phone_key: String,
}

/// Counts an attempt from `ip` for `phone` and refuses it when either limit is spent.
/// When Redis is away the attempt is counted in this process's memory instead, and the log says so.
pub async fn begin(state: &AppState, phone: &str, ip: &str) -> ApiResult<Attempt> {
    let limits = state.config.sign_in_limits;
    let window = limits.window.as_secs();
    let phone_key = format!(
        "signin:phone:{}",
        infra::encoding::hex(&Sha256::digest(phone.as_bytes())[..16])
    );
    let ip_key = format!("signin:ip:{ip}");
    let checked = async {
        let ip = state.redis.hit(&ip_key, window).await?;
        let phone = state.redis.count(&phone_key).await?;
        Ok::<_, String>((ip, phone))
    }
    .await;
    let ((ip_count, ip_ttl), (phone_count, phone_ttl)) = checked.unwrap_or_else(|why| {
        tracing::warn!(%why, "Redis unavailable; sign-in attempts are counted in this process instead");
        let local = &state.sign_in_fallback;
        (local.hit(&ip_key, limits.window), local.count(&phone_key))
    });
    let retry_after = if ip_count > limits.per_ip {
        Some(ip_ttl)
    } else if phone_count >= limits.per_phone {
        Some(phone_ttl)
    } else {
        None
    };
    match retry_after {
        Some(retry_after) => {
            let mut err = ApiError::new(
                ErrorCode::RateLimited,
                format!("too many sign-in attempts; try again in {retry_after} seconds"),
            );
            err.retry_after = Some(retry_after.max(1));
            Err(err)
        }
        None => Ok(Attempt { phone_key }),
    }
}

impl Attempt {
    /// Counts a wrong phone or password against the phone number.
    pub async fn failed(self, state: &AppState) {
        let window = state.config.sign_in_limits.window.as_secs();
        if let Err(why) = state.redis.hit(&self.phone_key, window).await {
            tracing::warn!(%why, "Redis unavailable; a failed sign-in is counted in this process instead");
            state
                .sign_in_fallback
                .hit(&self.phone_key, state.config.sign_in_limits.window);
        }
    }
}

/// Fixed-window counters in this process's memory, for when Redis is away. Bounded: past `CAPACITY` keys the closed
/// windows are dropped, and if every window is still open the oldest half goes (an attacker rotating addresses can
/// then reset counts, but never grow memory without end).
#[derive(Default)]
pub struct LocalWindows {
    windows: Mutex<HashMap<String, (u64, Instant)>>,
}

impl LocalWindows {
    const CAPACITY: usize = 100_000;

    /// Adds one to the window `key` (opening one of length `window` if none is open); answers the count and the
    /// seconds until the window closes.
    pub fn hit(&self, key: &str, window: Duration) -> (u64, u64) {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= Self::CAPACITY && !windows.contains_key(key) {
            windows.retain(|_, (_, ends)| *ends > now);
            if windows.len() >= Self::CAPACITY {
                let mut ends: Vec<Instant> = windows.values().map(|(_, e)| *e).collect();
                ends.sort_unstable();
                let cut = ends[ends.len() / 2];
                windows.retain(|_, (_, e)| *e > cut);
            }
        }
        let entry = windows.entry(key.to_owned()).or_insert((0, now + window));
        if entry.1 <= now {
            *entry = (0, now + window);
        }
        entry.0 += 1;
        (entry.0, seconds_until(entry.1, now))
    }

    /// The count in the window `key` without adding to it, and the seconds until it closes.
    pub fn count(&self, key: &str) -> (u64, u64) {
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match windows.get(key) {
            Some((count, ends)) if *ends > now => (*count, seconds_until(*ends, now)),
            _ => (0, 0),
        }
    }
}

fn seconds_until(end: Instant, now: Instant) -> u64 {
    end.saturating_duration_since(now).as_secs().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_windows_count_within_a_window_and_start_again_after() {
        let local = LocalWindows::default();
        assert_eq!(local.count("a"), (0, 0));
        assert_eq!(local.hit("a", Duration::from_secs(60)).0, 1);
        assert_eq!(local.hit("a", Duration::from_secs(60)).0, 2);
        assert_eq!(local.count("a").0, 2);
        assert_eq!(local.count("b").0, 0);
        assert_eq!(local.hit("c", Duration::ZERO).0, 1);
        assert_eq!(local.hit("c", Duration::ZERO).0, 1, "a closed window starts again");
    }
}
