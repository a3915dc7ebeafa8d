//! Signed webhooks to agency systems. Each delivery is a POST of JSON with three headers:
//! `X-Minsheng-Delivery` (the outbox id: receivers drop repeats by it), `X-Minsheng-Timestamp` (Unix seconds) and
//! `X-Minsheng-Signature: sha256=<hex>`, the HMAC-SHA256 of `{timestamp}.{body}` under the webhook's secret.
//! Receivers recompute it and refuse old timestamps, so a captured delivery cannot be replayed later.

use domain::organisation::webhook::{Destinations, RefusedAddress};
use hmac::{Hmac, Mac};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use sha2::Sha256;
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use url::Host;

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

/// Why a webhook address is refused, at registration or at delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("{0}; webhooks go to public addresses or to networks an administrator trusts")]
    Refused(RefusedAddress),
    #[error("the address is not a valid http:// or https:// URL")]
    Malformed,
}

/// Delivers webhooks, only ever to addresses `Destinations` allows. Names are resolved by this sender's own resolver,
/// which drops every address the policy refuses, so the address a delivery connects to is one that was checked: a
/// name that resolved to a public address when registered and to 127.0.0.1 now (DNS rebinding) finds nothing to
/// connect to. Redirects are not followed and no proxy is used, so a delivery goes only where it was checked to go.
pub struct Webhooks {
    client: reqwest::Client,
    destinations: Arc<Destinations>,
}

impl Webhooks {
    #[must_use]
    pub fn new(destinations: Destinations) -> Self {
        let destinations = Arc::new(destinations);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(CheckedResolver(destinations.clone())))
            .build()
            .unwrap_or_default();
        Webhooks { client, destinations }
    }

    /// Checks a webhook address when it is registered: an address written as an IP is judged at once, a name by what
    /// it resolves to now. A name that does not resolve from here is let through (an intranet name may resolve only
    /// in production), since every delivery checks again.
    ///
    /// # Errors
    /// `AddressError` for an address that is or resolves to a refused one.
    pub async fn check(&self, url: &str) -> Result<(), AddressError> {
        let url = reqwest::Url::parse(url).map_err(|_| AddressError::Malformed)?;
        if let Some(ip) = literal(&url) {
            return self.destinations.check(ip).map_err(AddressError::Refused);
        }
        match url.host() {
            Some(Host::Domain(name)) => {
                let lookup = tokio::net::lookup_host((name, 0));
                let Ok(Ok(addresses)) = tokio::time::timeout(Duration::from_secs(3), lookup).await else {
                    return Ok(());
                };
                for address in addresses {
                    self.destinations.check(address.ip()).map_err(AddressError::Refused)?;
                }
                Ok(())
            }
            _ => Err(AddressError::Malformed),
        }
    }

    /// Posts one delivery.
    ///
    /// # Errors
    /// `Refused` when the address is (or now resolves only to) one the policy refuses: trying again will not help;
    /// `Failed` with a short reason (an HTTP status, a network error without its URL) for anything else but a 2xx
    /// answer within the timeout.
    pub async fn deliver(
        &self,
        url: &str,
        secret: &str,
        delivery: &str,
        timestamp: i64,
        body: Vec<u8>,
    ) -> Result<(), DeliveryError> {
        // Names go through the checked resolver; an address written as an IP never reaches a resolver, so it is
        // checked here.
        let parsed = reqwest::Url::parse(url).map_err(|_| DeliveryError::Refused(AddressError::Malformed))?;
        if let Some(ip) = literal(&parsed) {
            self.destinations
                .check(ip)
                .map_err(|r| DeliveryError::Refused(AddressError::Refused(r)))?;
        }
        let res = self
            .client
            .post(parsed)
            .timeout(Duration::from_secs(10))
            .header("Content-Type", "application/json")
            .header("X-Minsheng-Delivery", delivery)
            .header("X-Minsheng-Timestamp", timestamp.to_string())
            .header("X-Minsheng-Signature", signature(secret, timestamp, &body))
            .body(body)
            .send()
            .await
            .map_err(describe)?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(DeliveryError::Failed(format!("HTTP {}", res.status())))
        }
    }
}

/// The address a URL names by IP (as a client reads it: `0x7f.1` is 127.0.0.1), if it names one.
fn literal(url: &reqwest::Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        Host::Domain(_) => None,
    }
}

/// Why a delivery did not land.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error("{0}")]
    Refused(AddressError),
    #[error("{0}")]
    Failed(String),
}

/// A network error without its URL, or the resolver's refusal when that is what it was.
fn describe(e: reqwest::Error) -> DeliveryError {
    let mut source = std::error::Error::source(&e);
    while let Some(inner) = source {
        if let Some(refused) = inner.downcast_ref::<AddressError>() {
            return DeliveryError::Refused(refused.clone());
        }
        source = inner.source();
    }
    DeliveryError::Failed(e.without_url().to_string())
}

/// Resolves names as the system does, keeping only the addresses `Destinations` allows.
struct CheckedResolver(Arc<Destinations>);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let destinations = self.0.clone();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let mut refused = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| match destinations.check(a.ip()) {
                    Ok(()) => true,
                    Err(why) => {
                        refused.get_or_insert(why);
                        false
                    }
                })
                .collect();
            if allowed.is_empty() {
                let why: Box<dyn std::error::Error + Send + Sync> = match refused {
                    Some(r) => Box::new(AddressError::Refused(r)),
                    None => "the name resolves to no address".into(),
                };
                return Err(why);
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
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
