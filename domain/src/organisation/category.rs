//! Categories of issues (road, water, environment…), a shallow tree shared by every region.

use crate::Invalid;
use serde::Serialize;

/// A category code: 1 to 32 of lowercase ASCII letters, digits, `_` and `-`, starting with a letter (`road`, `water_supply`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CategoryCode(String);

impl CategoryCode {
    /// # Errors
    /// `Invalid` on `code` when it breaks the shape above.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        let shape_ok = (1..=32).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !shape_ok {
            return Err(Invalid::new(
                "code",
                "invalid_category_code",
                "must be 1 to 32 lowercase letters, digits, '_' or '-', starting with a letter",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::bounded_text!(
    /// A category's name (道路交通).
    CategoryName, "name", 1, 64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_lowercase_slugs() {
        assert!(CategoryCode::parse("water_supply").is_ok());
        assert!(CategoryCode::parse("Road").is_err());
        assert!(CategoryCode::parse("1road").is_err());
        assert!(CategoryCode::parse("").is_err());
        assert!(CategoryCode::parse("道路").is_err());
    }
}
