//! An agency system's webhook: where deliveries go and the key they are signed with.

use crate::Invalid;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address fit to POST to: `http://` or `https://`, a host, no user or password in it, no spaces, at most 2000
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    /// # Errors
    /// `Invalid` on `url` otherwise.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let url = raw.trim();
        let bad = || Invalid::new("url", "invalid_url", "must be an http:// or https:// address");
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if url.len() > 2000 || host.is_empty() || host.contains('@') || url.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        Ok(WebhookUrl(url.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where webhooks may be delivered: public addresses, and the networks an administrator names as trusted (an agency's
/// system on a government intranet). Everything else on the service's own side of the network is refused, so that
/// someone who may register a webhook cannot make the worker POST to the database, Redis, the host itself or a cloud
/// metadata service (server-side request forgery).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Destinations {
    trusted: Vec<IpNet>,
}

/// Why an address is not a webhook destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusedAddress {
    pub address: IpAddr,
    /// What kind of address it is, said to the person who registered it.
    pub kind: &'static str,
}

impl std::fmt::Display for RefusedAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is {}", self.address, self.kind)
    }
}

impl Destinations {
    #[must_use]
    pub fn trusting(trusted: Vec<IpNet>) -> Self {
        Destinations { trusted }
    }

    /// Is `address` a place a webhook may go? Cloud metadata services and the unspecified address never are; loopback,
    /// link-local, private, shared and other special-purpose addresses only inside a trusted network; public ones always.
    ///
    /// # Errors
    /// `RefusedAddress` saying what kind of address it is.
    pub fn check(&self, address: IpAddr) -> Result<(), RefusedAddress> {
        // An IPv4 address written as IPv6 (::ffff:127.0.0.1) goes where the IPv4 one goes.
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 @ IpAddr::V4(_) => v4,
        };
        let refuse = |kind| Err(RefusedAddress { address, kind });
        if let Some(kind) = never(address) {
            return refuse(kind);
        }
        match special(address) {
            None => Ok(()),
            Some(_) if self.trusted.iter().any(|net| net.contains(&address)) => Ok(()),
            Some(kind) => refuse(kind),
        }
    }
}

/// Addresses no webhook goes to, trusted or not.
fn never(address: IpAddr) -> Option<&'static str> {
    const METADATA: [IpAddr; 4] = [
        // AWS, Huawei Cloud, OpenStack and most others; Tencent Cloud's sits beside it in 169.254.0.0/16.
        IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254)),
        IpAddr::V4(Ipv4Addr::new(169, 254, 0, 23)),
        // Alibaba Cloud.
        IpAddr::V4(Ipv4Addr::new(100, 100, 100, 200)),
        // AWS over IPv6.
        IpAddr::V6(Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)),
    ];
    if METADATA.contains(&address) {
        Some("a cloud metadata service")
    } else if address.is_unspecified() {
        Some("the unspecified address")
    } else {
        None
    }
}

/// What kind of non-public address this is, if it is one.
fn special(address: IpAddr) -> Option<&'static str> {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            if v4.is_loopback() {
                Some("a loopback address")
            } else if v4.is_link_local() {
                Some("a link-local address")
            } else if v4.is_private() {
                Some("a private address")
            } else if a == 100 && (64..128).contains(&b) {
                Some("a shared (carrier-grade NAT) address")
            } else if a == 0 || a >= 224 || v4.is_broadcast() || (a == 192 && b == 0) || (a == 198 && (b & 0xfe) == 18)
            {
                Some("a special-purpose address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            if v6.is_loopback() {
                Some("a loopback address")
            } else if (first & 0xffc0) == 0xfe80 {
                Some("a link-local address")
            } else if (first & 0xfe00) == 0xfc00 {
                Some("a private address")
            } else if v6.is_multicast() || v6.segments()[..6] == [0, 0, 0, 0, 0, 0] || first == 0x64 {
                // Multicast, the old IPv4-compatible form, and NAT64 prefixes that lead back into IPv4.
                Some("a special-purpose address")
            } else {
                None
            }
        }
    }
}

/// The HMAC key deliveries are signed with: 16 to 256 characters, so that it cannot be guessed.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// # Errors
    /// `Invalid` on `secret` otherwise.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        if raw.chars().count() < 16 || raw.len() > 256 {
            return Err(Invalid::new("secret", "out_of_range", "must be 16 to 256 characters"));
        }
        Ok(WebhookSecret(raw.to_owned()))
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Secrets never reach a log line.
impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_addresses_and_long_secrets() {
        assert_eq!(
            WebhookUrl::parse(" https://oa.yuyao.gov.cn/minsheng ").map(|u| u.as_str().to_owned()),
            Ok("https://oa.yuyao.gov.cn/minsheng".to_owned())
        );
        for bad in [
            "ftp://x",
            "https://",
            "https://user:pw@host/",
            "http://a b",
            "oa.yuyao.gov.cn",
        ] {
            assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
        }
        assert!(WebhookSecret::parse("short").is_err());
        assert!(WebhookSecret::parse("whsec-0123456789abcdef").is_ok());
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn only_public_addresses_and_trusted_networks_receive_webhooks() {
        let open = Destinations::default();
        for public in ["203.119.26.1", "2400:3200::1", "101.37.1.1"] {
            assert_eq!(open.check(ip(public)), Ok(()), "{public}");
        }
        for (inside, kind) in [
            ("127.0.0.1", "a loopback address"),
            ("::1", "a loopback address"),
            ("::ffff:127.0.0.1", "a loopback address"),
            ("169.254.169.254", "a cloud metadata service"),
            ("100.100.100.200", "a cloud metadata service"),
            ("169.254.1.1", "a link-local address"),
            ("fe80::1", "a link-local address"),
            ("0.0.0.0", "the unspecified address"),
            ("::", "the unspecified address"),
            ("10.1.2.3", "a private address"),
            ("172.20.0.1", "a private address"),
            ("192.168.1.1", "a private address"),
            ("fd12::1", "a private address"),
            ("100.64.0.1", "a shared (carrier-grade NAT) address"),
            ("224.0.0.1", "a special-purpose address"),
            ("255.255.255.255", "a special-purpose address"),
            ("64:ff9b::7f00:1", "a special-purpose address"),
        ] {
            assert_eq!(open.check(ip(inside)).map_err(|r| r.kind), Err(kind), "{inside}");
        }
        let intranet = Destinations::trusting(vec![
            "10.20.0.0/16".parse().expect("cidr"),
            "127.0.0.1/32".parse().expect("cidr"),
        ]);
        assert_eq!(intranet.check(ip("10.20.3.4")), Ok(()));
        assert_eq!(intranet.check(ip("127.0.0.1")), Ok(()));
        assert!(intranet.check(ip("10.21.0.1")).is_err(), "only the networks named");
        let everything = Destinations::trusting(vec!["0.0.0.0/0".parse().expect("cidr")]);
        assert!(
            everything.check(ip("169.254.169.254")).is_err(),
            "metadata never, trusted or not"
        );
        assert!(everything.check(ip("0.0.0.0")).is_err());
    }
}
