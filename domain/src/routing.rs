//! Which of the rules set per region (and per category) applies to a place: routing rules and deadline policies
//! alike. A rule for the category comes before one for every category, and the nearest region on the place's line
//! before those above it; a rule set on another line applies nowhere here. Infra fetches and caches the rules; the
//! choice is made here.

use crate::organisation::region::RegionPath;

/// How deep a region sits on `place`'s line: 0 for a rule set for everywhere (no region), 1 for the root, and so on
/// down to the place's own region; none for a region on another line.
#[must_use]
pub fn depth_on(place: &RegionPath, region: Option<&str>) -> Option<usize> {
    match region {
        None => Some(0),
        Some(code) => place.codes().position(|c| c == code).map(|p| p + 1),
    }
}

/// Of `set` — each item with the region it was set for (none: everywhere) and the category (none: every category)
/// — the one that applies at `place` to an issue of `category`: for the category before for all, then the nearest
/// region. None when nothing applies.
pub fn most_specific<'a, T>(
    place: &RegionPath,
    category: Option<&str>,
    set: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>, T)>,
) -> Option<T> {
    set.into_iter()
        .filter(|(_, c, _)| c.is_none() || *c == category)
        .filter_map(|(region, c, item)| depth_on(place, region).map(|d| ((c.is_some(), d), item)))
        .max_by_key(|(rank, _)| *rank)
        .map(|(_, item)| item)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> RegionPath {
        RegionPath::from_stored(p.to_owned())
    }

    #[test]
    fn the_nearest_region_and_the_category_win() {
        let fengshan = path("/33/3302/330281/330281001/");
        let set = [
            (None, None, "everywhere"),
            (Some("330281"), None, "county"),
            (Some("330281001"), None, "township"),
            (Some("330281"), Some("streetlight"), "county streetlights"),
            (Some("330206"), Some("streetlight"), "another county"),
        ];
        assert_eq!(
            most_specific(&fengshan, Some("streetlight"), set),
            Some("county streetlights")
        );
        assert_eq!(most_specific(&fengshan, Some("noise"), set), Some("township"));
        assert_eq!(most_specific(&fengshan, None, set), Some("township"));
        assert_eq!(
            most_specific(&path("/33/3302/330206/"), Some("noise"), set),
            Some("everywhere")
        );
        assert_eq!(
            most_specific(&path("/33/3302/330206/"), Some("streetlight"), set),
            Some("another county")
        );
        assert_eq!(most_specific::<&str>(&fengshan, None, []), None);
    }

    #[test]
    fn depth_counts_down_the_line() {
        let yuyao = path("/33/3302/330281/");
        assert_eq!(depth_on(&yuyao, None), Some(0));
        assert_eq!(depth_on(&yuyao, Some("33")), Some(1));
        assert_eq!(depth_on(&yuyao, Some("330281")), Some(3));
        assert_eq!(depth_on(&yuyao, Some("330206")), None);
    }
}
