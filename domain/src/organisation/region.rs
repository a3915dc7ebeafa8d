//! The region tree (province > city > county > township > village), keyed by GB/T 2260-style codes.

use crate::role::UnknownValue;
use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A region code: 2 to 12 digits (GB/T 2260 county codes have 6, statistical village codes 12).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct RegionCode(String);

impl RegionCode {
    /// # Errors
    /// `Invalid` on `code` unless it is 2 to 12 ASCII digits.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        if !(2..=12).contains(&raw.len()) || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Invalid::new(
                "code",
                "invalid_region_code",
                "must be 2 to 12 digits, as in GB/T 2260",
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
    /// A region's name (余姚市, 凤山街道).
    RegionName, "name", 1, 64
);

/// Where a region stands in the tree. Each child stands strictly deeper than its parent
/// (a county may hold villages directly, a village holds nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
    Village,
}

impl RegionLevel {
    pub const ALL: [RegionLevel; 5] = [
        RegionLevel::Province,
        RegionLevel::City,
        RegionLevel::County,
        RegionLevel::Township,
        RegionLevel::Village,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
            RegionLevel::Village => "village",
        }
    }
}

impl FromStr for RegionLevel {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// A region's place in the tree: its ancestors' codes and its own, as `/33/3302/330281/`.
/// A region lies in another's subtree exactly when its path starts with the other's path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegionPath(String);

impl RegionPath {
    /// The path of a root region.
    #[must_use]
    pub fn root(code: &RegionCode) -> Self {
        Self(format!("/{}/", code.as_str()))
    }

    /// The path of `code` placed under this region.
    #[must_use]
    pub fn child(&self, code: &RegionCode) -> Self {
        Self(format!("{}{}/", self.0, code.as_str()))
    }

    /// A path as stored; trusted because only `root` and `child` write it.
    #[must_use]
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The codes along the path, from the root down to this region.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.0.split('/').filter(|c| !c.is_empty())
    }

    /// The region's own code (the last on the path).
    #[must_use]
    pub fn code(&self) -> &str {
        self.codes().last().unwrap_or("")
    }

    /// True for this region and every region below it.
    #[must_use]
    pub fn covers(&self, other: &RegionPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// True for the regions strictly below this one.
    #[must_use]
    pub fn strictly_covers(&self, other: &RegionPath) -> bool {
        other.0.len() > self.0.len() && self.covers(other)
    }
}

/// A path from its codes, root first: the tests' way to name a place in the tree.
#[cfg(test)]
pub(crate) fn path_of(codes: &[&str]) -> RegionPath {
    let mut codes = codes.iter().map(|c| RegionCode::parse(c).expect("valid code"));
    let first = codes.next().expect("at least one code");
    codes.fold(RegionPath::root(&first), |p, c| p.child(&c))
}

/// A new region, checked: a root must be a province-or-lower with no parent; a child must stand deeper than its parent.
#[derive(Debug, Clone)]
pub struct NewRegion {
    pub code: RegionCode,
    pub name: RegionName,
    pub level: RegionLevel,
    pub path: RegionPath,
    pub parent: Option<RegionCode>,
}

impl NewRegion {
    /// Places a region under `parent` (its code, level and path), or at the root when there is none.
    ///
    /// # Errors
    /// `Invalid` on `level` when the region would not stand deeper than its parent.
    pub fn place(
        code: RegionCode,
        name: RegionName,
        level: RegionLevel,
        parent: Option<(&RegionCode, RegionLevel, &RegionPath)>,
    ) -> Result<Self, Invalid> {
        match parent {
            None => Ok(Self {
                path: RegionPath::root(&code),
                code,
                name,
                level,
                parent: None,
            }),
            Some((parent_code, parent_level, parent_path)) => {
                if level <= parent_level {
                    return Err(Invalid::new(
                        "level",
                        "level_not_below_parent",
                        format!("a {} cannot stand under a {}", level.as_str(), parent_level.as_str()),
                    ));
                }
                Ok(Self {
                    path: parent_path.child(&code),
                    code,
                    name,
                    level,
                    parent: Some(parent_code.clone()),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid code")
    }

    #[test]
    fn codes_are_digits_only() {
        assert!(RegionCode::parse("330281").is_ok());
        assert!(RegionCode::parse("330281001001").is_ok());
        assert!(RegionCode::parse("3").is_err());
        assert!(RegionCode::parse("33a281").is_err());
        assert!(RegionCode::parse("3302810010011").is_err());
    }

    #[test]
    fn subtree_is_a_path_prefix_with_separators() {
        let zj = RegionPath::root(&code("33"));
        let yy = zj.child(&code("330281"));
        let other = RegionPath::root(&code("330"));
        assert!(zj.covers(&yy));
        assert!(zj.covers(&zj));
        assert!(!zj.strictly_covers(&zj));
        assert!(zj.strictly_covers(&yy));
        assert!(!yy.covers(&zj));
        // "/33/" must not cover "/330/": the separator keeps codes that share digits apart.
        assert!(!zj.covers(&other));
    }

    #[test]
    fn a_child_stands_deeper_than_its_parent() {
        let parent_code = code("330281");
        let parent_path = RegionPath::root(&parent_code);
        let name = RegionName::parse("凤山街道").expect("valid name");
        let township = NewRegion::place(
            code("330281001"),
            name.clone(),
            RegionLevel::Township,
            Some((&parent_code, RegionLevel::County, &parent_path)),
        )
        .expect("a township may stand under a county");
        assert_eq!(township.path.as_str(), "/330281/330281001/");
        let err = NewRegion::place(
            code("330281002"),
            name,
            RegionLevel::County,
            Some((&parent_code, RegionLevel::County, &parent_path)),
        )
        .expect_err("a county cannot stand under a county");
        assert_eq!(err.code, "level_not_below_parent");
    }
}
