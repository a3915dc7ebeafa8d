//! Deputy liaison stations (代表联络站 / 代表之家) where citizens meet deputies on reception days.

use crate::Invalid;
use serde::{Deserialize, Serialize};

crate::name_text!(
    /// A station's name (凤山街道人大代表联络站).
    StationName, "name", 1, 80
);

crate::bounded_text!(
    /// A postal address, as people write it.
    Address, "address", 1, 200
);

/// When a station receives citizens: a weekday every week, or a day every month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "every", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReceptionDay {
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    Week { weekday: u8 },
    /// Day of the month, 1 to 28, so that every month has it.
    Month { day: u8 },
}

impl ReceptionDay {
    /// At most this many rules per station.
    pub const MAX: usize = 14;

    /// Checks a station's list of reception days: each in range, no repeats, at most `MAX`.
    ///
    /// # Errors
    /// `Invalid` on `reception_days[i]` naming the rule at fault.
    pub fn parse_all(days: Vec<ReceptionDay>) -> Result<Vec<ReceptionDay>, Invalid> {
        if days.len() > Self::MAX {
            return Err(Invalid::new(
                "reception_days",
                "too_many",
                format!("at most {} rules", Self::MAX),
            ));
        }
        for (i, day) in days.iter().enumerate() {
            let field = format!("reception_days[{i}]");
            match *day {
                ReceptionDay::Week { weekday } if !(1..=7).contains(&weekday) => {
                    return Err(Invalid::new(
                        field,
                        "out_of_range",
                        "weekday must be 1 (Monday) to 7 (Sunday)",
                    ));
                }
                ReceptionDay::Month { day } if !(1..=28).contains(&day) => {
                    return Err(Invalid::new(field, "out_of_range", "day must be 1 to 28"));
                }
                _ => {}
            }
            if days[..i].contains(day) {
                return Err(Invalid::new(field, "duplicate", "the same rule is listed twice"));
            }
        }
        Ok(days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reception_days_are_checked_one_by_one() {
        let ok = vec![ReceptionDay::Week { weekday: 3 }, ReceptionDay::Month { day: 15 }];
        assert_eq!(ReceptionDay::parse_all(ok.clone()), Ok(ok));
        let bad = vec![ReceptionDay::Week { weekday: 3 }, ReceptionDay::Month { day: 31 }];
        assert_eq!(
            ReceptionDay::parse_all(bad).map_err(|e| e.field),
            Err("reception_days[1]".to_owned())
        );
        let twice = vec![ReceptionDay::Week { weekday: 3 }, ReceptionDay::Week { weekday: 3 }];
        assert_eq!(ReceptionDay::parse_all(twice).map_err(|e| e.code), Err("duplicate"));
    }
}
