//! What figures may be broken down by.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One row of figures per agency (the lead agency now), station, deputy (the one reported to or reporting), category,
/// region (each region just below the one asked for), or reporting week or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    Agencies,
    Stations,
    Deputies,
    Categories,
    Regions,
    Week,
    Month,
}

crate::word_enum!(Breakdown {
    Agencies => "agencies",
    Stations => "stations",
    Deputies => "deputies",
    Categories => "categories",
    Regions => "regions",
    Week => "week",
    Month => "month",
});

/// A trend's step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Week,
    Month,
}

crate::word_enum!(Interval { Week => "week", Month => "month" });

impl From<Interval> for Breakdown {
    fn from(i: Interval) -> Self {
        match i {
            Interval::Week => Breakdown::Week,
            Interval::Month => Breakdown::Month,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_serde() {
        for b in Breakdown::ALL {
            assert_eq!(serde_json::to_value(b).ok(), Some(serde_json::json!(b.as_str())));
        }
        for i in Interval::ALL {
            assert_eq!(serde_json::to_value(i).ok(), Some(serde_json::json!(i.as_str())));
        }
    }
}
