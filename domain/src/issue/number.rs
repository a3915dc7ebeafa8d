//! The number people read out on the phone: `YY-2026-000123`, a sequence per region prefix and year.

use crate::Invalid;

/// The letters a region's issue numbers start with (`YY` for 余姚).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPrefix(String);

impl NumberPrefix {
    /// # Errors
    /// `Invalid` on `issue_prefix` unless 1 to 8 capital letters.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        if (1..=8).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new(
                "issue_prefix",
                "invalid_prefix",
                "must be 1 to 8 capital letters (YY)",
            ))
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `{prefix}-{year}-{sequence:06}`; the sequence grows past six digits rather than wrapping.
#[must_use]
pub fn issue_number(prefix: &str, year: i32, sequence: i64) -> String {
    format!("{prefix}-{year}-{sequence:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_the_counties_own() {
        assert_eq!(issue_number("YY", 2026, 123), "YY-2026-000123");
        assert_eq!(issue_number("330281", 2026, 1_234_567), "330281-2026-1234567");
        assert!(NumberPrefix::parse("yy").is_err());
    }
}
