//! Idempotency keys: what a client sends so that retrying a create command cannot create twice.

use crate::Invalid;

/// 1 to 255 visible ASCII characters (a UUID is typical).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub const HEADER: &'static str = "Idempotency-Key";

    /// # Errors
    /// `Invalid` on `Idempotency-Key` when empty, longer than 255, or holding anything but visible ASCII.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        if raw.is_empty() || raw.len() > 255 || !raw.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Invalid::new(
                Self::HEADER,
                "invalid_idempotency_key",
                "must be 1 to 255 visible ASCII characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::IdempotencyKey;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(IdempotencyKey::parse("0192f5a4-6c1e-7d2a-9b3f-2e4d6a8c0b1e").is_ok());
        assert!(IdempotencyKey::parse("").is_err());
        assert!(IdempotencyKey::parse("has space").is_err());
        assert!(IdempotencyKey::parse(&"k".repeat(256)).is_err());
        assert!(IdempotencyKey::parse("钥匙").is_err());
    }
}
