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

crate::name_text!(
    /// A category's name (道路交通).
    CategoryName, "name", 1, 64
);

/// Checks where a category may sit. The tree is two levels deep, which keeps it acyclic: a parent is a top-level
/// category other than the category itself, and a category that has sub-categories stays top-level.
///
/// # Errors
/// `Invalid` on `parent_code`.
pub fn check_parent(
    child: &str,
    has_children: bool,
    parent: &CategoryCode,
    parent_is_top_level: bool,
) -> Result<(), Invalid> {
    if has_children {
        return Err(Invalid::new(
            "parent_code",
            "has_children",
            "a category with sub-categories stays top-level",
        ));
    }
    if !parent_is_top_level || parent.as_str() == child {
        return Err(Invalid::new(
            "parent_code",
            "too_deep",
            "categories are two levels deep: the parent must be a top-level category",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_two_levels_deep() {
        let code = |c: &str| CategoryCode::parse(c).expect("a code");
        let (road, light) = (code("road"), code("streetlight"));
        assert_eq!(check_parent("streetlight", false, &road, true), Ok(()));
        let refused = |r: Result<(), Invalid>| r.map_err(|e| e.code);
        assert_eq!(
            refused(check_parent("streetlight", false, &road, false)),
            Err("too_deep")
        );
        assert_eq!(refused(check_parent("road", false, &road, true)), Err("too_deep"));
        assert_eq!(refused(check_parent("road", true, &light, true)), Err("has_children"));
    }

    #[test]
    fn codes_are_lowercase_slugs() {
        assert!(CategoryCode::parse("water_supply").is_ok());
        assert!(CategoryCode::parse("Road").is_err());
        assert!(CategoryCode::parse("1road").is_err());
        assert!(CategoryCode::parse("").is_err());
        assert!(CategoryCode::parse("道路").is_err());
    }
}
