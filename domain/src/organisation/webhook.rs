//! An agency system's webhook: where deliveries go and the key they are signed with.

use crate::Invalid;

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
}
