//! A person's saved filters (我区红牌, 待我审批): a list screen's filters under a name they chose.

use crate::Invalid;
use std::collections::BTreeMap;

/// The list screens filters are saved for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Screen {
    /// 问题: `GET /api/v1/issues`.
    Issues,
    /// 三色预警: `GET /api/v1/deadlines`.
    Deadlines,
}

crate::word_enum!(Screen { Issues => "issues", Deadlines => "deadlines" });

impl Screen {
    /// The list's query parameters a filter may hold: its filters, not its paging or format.
    #[must_use]
    pub fn parameters(self) -> &'static [&'static str] {
        match self {
            Screen::Issues => &["status", "warning", "q", "category", "region", "agency", "station"],
            Screen::Deadlines => &["warning", "agency", "category", "stage", "region"],
        }
    }
}

/// How many filters one person may keep.
pub const MOST: i64 = 30;

crate::bounded_text!(
    /// What the person calls the filter.
    FilterName, "name", 1, 20
);

/// A filter's parameters: each one the screen's list takes, with a value of at most 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterQuery(BTreeMap<String, String>);

impl FilterQuery {
    /// # Errors
    /// `Invalid` on `query.{name}` for a parameter the screen's list does not take or a value too long, and on
    /// `query` for a filter without any.
    pub fn parse(screen: Screen, raw: BTreeMap<String, String>) -> Result<Self, Invalid> {
        for (name, value) in &raw {
            let field = format!("query.{name}");
            if !screen.parameters().contains(&name.as_str()) {
                return Err(Invalid::new(
                    field,
                    "unknown_parameter",
                    format!("the {} list takes {}", screen.as_str(), screen.parameters().join(", ")),
                ));
            }
            crate::text::bounded(&field, value, 1, 100)?;
        }
        if raw.is_empty() {
            return Err(Invalid::new(
                "query",
                "required",
                "a filter needs at least one parameter",
            ));
        }
        Ok(Self(raw))
    }

    #[must_use]
    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_travel_as_their_words() {
        for screen in Screen::ALL {
            let json = serde_json::to_value(screen).expect("serialises");
            assert_eq!(json, screen.as_str());
        }
    }

    #[test]
    fn a_filter_holds_only_what_its_list_takes() {
        let ok = BTreeMap::from([("warning".to_owned(), "red".to_owned())]);
        assert!(FilterQuery::parse(Screen::Issues, ok).is_ok());
        let paging = BTreeMap::from([("cursor".to_owned(), "abc".to_owned())]);
        let e = FilterQuery::parse(Screen::Issues, paging).expect_err("paging is not a filter");
        assert_eq!((e.field.as_str(), e.code), ("query.cursor", "unknown_parameter"));
        let e = FilterQuery::parse(Screen::Deadlines, BTreeMap::new()).expect_err("empty");
        assert_eq!(e.code, "required");
    }
}
