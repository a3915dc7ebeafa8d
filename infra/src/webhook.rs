//! Signed webhooks to agency systems. Each delivery is a POST of JSON with three headers:
//! `X-Minsheng-Delivery` (the outbox id: receivers drop repeats by it), `X-Minsheng-Timestamp` (Unix seconds) and
//! `X-Minsheng-Signature: sha256=<hex>`, the HMAC-SHA256 of `{timestamp}.{body}` under the webhook's secret.
//! Receivers recompute it and refuse old timestamps, so a captured delivery cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Duration;

/// `sha256=` and the hex HMAC of `{timestamp}.{body}`.
#[must_use]
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length; the else is never taken.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let mut out = String::from("sha256=");
    for b in mac.finalize().into_bytes() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// One client for every delivery (it pools connections); redirects are not followed, so a delivery goes only
/// where it was configured to.
fn http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default()
    })
}

/// Posts one delivery. `Err` holds a short reason (an HTTP status, a network error without its URL).
///
/// # Errors
/// Anything but a 2xx answer within the timeout.
pub async fn deliver(url: &str, secret: &str, delivery: &str, timestamp: i64, body: Vec<u8>) -> Result<(), String> {
    let res = http()
        .post(url)
        .timeout(Duration::from_secs(10))
        .header("Content-Type", "application/json")
        .header("X-Minsheng-Delivery", delivery)
        .header("X-Minsheng-Timestamp", timestamp.to_string())
        .header("X-Minsheng-Signature", signature(secret, timestamp, &body))
        .body(body)
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {}", res.status()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently with Python's hmac module.
        let body = br#"{"kind":"routed"}"#;
        assert_eq!(
            signature("whsec-test", 1_700_000_000, body),
            "sha256=87ecfe112574eb5a6e3da9855ee4459c7652f7f6608a09ba79390709a91b5da3"
        );
        assert_ne!(
            signature("whsec-other", 1_700_000_000, body),
            signature("whsec-test", 1_700_000_000, body)
        );
        assert_ne!(
            signature("whsec-test", 1_700_000_001, body),
            signature("whsec-test", 1_700_000_000, body)
        );
    }
}
