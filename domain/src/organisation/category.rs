//! Categories of issues (road, water, environment…), a shallow tree shared by every region, which each region may
//! offer or not, rename, and add to within its own subtree.

use crate::organisation::region::RegionPath;
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

/// How a region sets a category for its subtree: offered or not, and the name it goes by there.
#[derive(Debug, Clone, Copy)]
pub struct AreaSetting<'a> {
    pub region: &'a RegionPath,
    pub offered: bool,
    pub name: Option<&'a str>,
}

/// The name a category goes by at `place`, or none when it is not offered there. A category of a region's own
/// (`owner`) is offered only within that region's subtree; of the settings on the place's path the deepest decides
/// whether it is offered, and the deepest that names it, what it is called — a county's choice holds in its
/// townships unless a township chooses otherwise.
#[must_use]
pub fn offered_at<'a>(
    place: &RegionPath,
    name: &'a str,
    owner: Option<&RegionPath>,
    settings: &[AreaSetting<'a>],
) -> Option<&'a str> {
    if owner.is_some_and(|o| !o.covers(place)) {
        return None;
    }
    let mut on_path: Vec<&AreaSetting<'a>> = settings.iter().filter(|s| s.region.covers(place)).collect();
    on_path.sort_by_key(|s| std::cmp::Reverse(s.region.as_str().len()));
    if on_path.first().is_some_and(|s| !s.offered) {
        return None;
    }
    Some(on_path.iter().find_map(|s| s.name).unwrap_or(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deepest_setting_on_the_path_decides_and_an_own_category_stays_home() {
        let path = |p: &str| RegionPath::from_stored(p.to_owned());
        let (county, township, other) = (
            path("/33/3302/330281/"),
            path("/33/3302/330281/330281001/"),
            path("/33/3302/330206/"),
        );
        let renamed = AreaSetting {
            region: &county,
            offered: true,
            name: Some("路灯照明"),
        };
        assert_eq!(offered_at(&township, "路灯", None, &[renamed]), Some("路灯照明"));
        assert_eq!(offered_at(&other, "路灯", None, &[renamed]), Some("路灯"));
        let stopped_below = AreaSetting {
            region: &township,
            offered: false,
            name: None,
        };
        assert_eq!(offered_at(&township, "路灯", None, &[renamed, stopped_below]), None);
        assert_eq!(
            offered_at(&county, "路灯", None, &[renamed, stopped_below]),
            Some("路灯照明")
        );
        assert_eq!(offered_at(&township, "河道保洁", Some(&county), &[]), Some("河道保洁"));
        assert_eq!(offered_at(&other, "河道保洁", Some(&county), &[]), None);
    }

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
