//! A period of reporting: local days (Asia/Shanghai), both ends included.

use crate::issue::deadline::SHANGHAI;
use crate::Invalid;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// `from` and `to` as days; either may be open (since the beginning, up to now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    /// # Errors
    /// `Invalid` on `from`/`to` for a day that is not `YYYY-MM-DD`, or on `to` when it comes before `from`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, Invalid> {
        let day = |field: &str, raw: Option<&str>| {
            raw.map(|r| {
                NaiveDate::parse_from_str(r, "%Y-%m-%d")
                    .map_err(|_| Invalid::new(field, "invalid_date", "a day as YYYY-MM-DD"))
            })
            .transpose()
        };
        let period = Period {
            from: day("from", from)?,
            to: day("to", to)?,
        };
        if let (Some(f), Some(t)) = (period.from, period.to) {
            if t < f {
                return Err(Invalid::new(
                    "to",
                    "period_reversed",
                    "the period ends before it begins",
                ));
            }
        }
        Ok(period)
    }

    /// The first instant of the period, if bounded.
    #[must_use]
    pub fn start(&self) -> Option<DateTime<Utc>> {
        self.from.and_then(local_midnight)
    }

    /// The first instant after the period (00:00 the day after `to`), if bounded.
    #[must_use]
    pub fn end(&self) -> Option<DateTime<Utc>> {
        self.to
            .and_then(|t| t.checked_add_days(Days::new(1)))
            .and_then(local_midnight)
    }
}

fn local_midnight(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0)?
        .and_local_timezone(SHANGHAI)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_whole_local_days() {
        let p = Period::parse(Some("2026-01-01"), Some("2026-03-31")).expect("period");
        assert_eq!(
            p.start().map(|t| t.to_rfc3339()),
            Some("2025-12-31T16:00:00+00:00".into())
        );
        assert_eq!(
            p.end().map(|t| t.to_rfc3339()),
            Some("2026-03-31T16:00:00+00:00".into())
        );
        assert_eq!(Period::parse(None, None).map(|p| p.start()), Ok(None));
        assert_eq!(
            Period::parse(Some("2026-03-01"), Some("2026-02-01")).map_err(|e| e.field),
            Err("to".into())
        );
        assert_eq!(
            Period::parse(Some("1 March"), None).map_err(|e| e.code),
            Err("invalid_date")
        );
    }
}
