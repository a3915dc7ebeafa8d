//! Limits on password sign-in. They keep guessing a password as slow as before, and never let a stranger lock the
//! right person out:
//!
//! - **Per client address**, every attempt counts: more than `MINSHENG_SIGNIN_LIMIT_PER_IP` in the window is a 429.
//! - **Per phone number**, wrong attempts count (from every address together), and so do wrong attempts per phone
//!   *and* address. An address that has failed for a phone waits before its next try once the phone has had
//!   `DELAY_AFTER` wrong attempts (1 s, then 2, 4, … doubling with each wrong attempt, at most the window), and is
//!   refused until the window ends once the phone has had `MINSHENG_SIGNIN_LIMIT_PER_PHONE` (the hard limit per
//!   phone and address).
//! - **An address that has not failed for a phone is always heard** (within its own per-address limit): the correct
//!   password from the person's own phone or office is admitted however many wrong ones others sent. What that
//!   costs: someone with many addresses gets one more guess a window from each fresh one, each then refused too.
//!
//! Unknown phones count like known ones, so the limits tell nothing about which accounts exist. Redis holds only a
//! hash of the phone number; while Redis is away each process counts in its own memory (`counters`).

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::counters;
use crate::state::AppState;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Wrong attempts on a phone number after which an address that has failed for it waits between tries.
const DELAY_AFTER: u64 = 3;
const WHAT: &str = "sign-in";

/// The counters of one attempt.
/// Each is a Redis key (under the deployment's prefix) of a window.
pub struct Attempt {
    phone: String,
    pair: String,
    wait: String,
}

/// Counts an attempt from `ip` for `phone` and refuses it when a limit says so.
pub async fn begin(state: &AppState, phone: &str, ip: &str) -> AppResult<Attempt> {
    let limits = state.config.sign_in_limits;
    let phone_hash = infra::encoding::hex(&Sha256::digest(phone.as_bytes())[..16]);
    let attempt = Attempt {
        phone: format!("signin:phone:{phone_hash}"),
        pair: format!("signin:pair:{phone_hash}:{ip}"),
        wait: format!("signin:wait:{phone_hash}:{ip}"),
    };
    let (ip_count, ip_ttl) = counters::hit(state, &format!("signin:ip:{ip}"), limits.window, WHAT).await;
    if ip_count > limits.per_ip {
        return Err(refused(ip_ttl));
    }
    let (pair_failures, _) = counters::count(state, &attempt.pair, WHAT).await;
    if pair_failures == 0 {
        return Ok(attempt);
    }
    let (phone_failures, phone_ttl) = counters::count(state, &attempt.phone, WHAT).await;
    if phone_failures >= limits.per_phone {
        return Err(refused(phone_ttl));
    }
    let (waiting, wait_ttl) = counters::count(state, &attempt.wait, WHAT).await;
    if waiting > 0 {
        return Err(refused(wait_ttl));
    }
    Ok(attempt)
}

fn refused(retry_after: u64) -> AppError {
    let mut err = AppError::new(
        ErrorCode::RateLimited,
        format!("too many sign-in attempts; try again in {retry_after} seconds"),
    );
    err.retry_after = Some(retry_after.max(1));
    err
}

/// How long an address that has failed for a phone waits after the phone's `failures`-th wrong attempt.
fn delay_after(failures: u64, window: Duration) -> Option<Duration> {
    let past = failures.checked_sub(DELAY_AFTER)?;
    let seconds = 1u64
        .checked_shl(u32::try_from(past).unwrap_or(u32::MAX))
        .unwrap_or(u64::MAX);
    Some(Duration::from_secs(seconds).min(window))
}

impl Attempt {
    /// Counts a wrong phone or password against the phone number and against it from this address.
    pub async fn failed(self, state: &AppState) {
        let window = state.config.sign_in_limits.window;
        counters::hit(state, &self.pair, window, WHAT).await;
        let (failures, _) = counters::hit(state, &self.phone, window, WHAT).await;
        if let Some(wait) = delay_after(failures, window) {
            counters::restart(state, &self.wait, wait, WHAT).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_the_first_wrong_attempts_and_stays_within_the_window() {
        let window = Duration::from_secs(900);
        assert_eq!(delay_after(2, window), None);
        assert_eq!(delay_after(3, window), Some(Duration::from_secs(1)));
        assert_eq!(delay_after(4, window), Some(Duration::from_secs(2)));
        assert_eq!(delay_after(6, window), Some(Duration::from_secs(8)));
        assert_eq!(delay_after(40, window), Some(window));
        assert_eq!(delay_after(u64::MAX, window), Some(window));
    }
}
