//! China's working-day calendar as data: the State Council's yearly notice on public holidays (国务院办公厅关于
//! 部分节假日安排的通知) lists the days off (放假) and the weekend days worked in exchange (调休上班). Weekends rest
//! and weekdays work unless a year's data says otherwise. The years below ship with the service; admins replace a
//! year (or add the next one when its notice comes out in November) through `PUT /api/v1/calendar/{year}`.

use super::deadline::Calendar;
use crate::Invalid;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a listed day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off, weekday or not.
    Holiday,
    /// A weekend day worked in exchange for a holiday (调休上班).
    Workday,
}

crate::word_enum!(DayKind { Holiday => "holiday", Workday => "workday" });

/// One listed day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    /// The festival it belongs to, e.g. 春节.
    #[schema(max_length = 40)]
    pub name: Option<String>,
}

/// The years a calendar can be kept for.
pub const CALENDAR_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A year the calendar can hold.
///
/// # Errors
/// `Invalid` on `year` outside `CALENDAR_YEARS`.
pub fn calendar_year(year: i32) -> Result<i32, Invalid> {
    if CALENDAR_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(Invalid::new("year", "out_of_range", "must be 2000 to 2100"))
    }
}

/// The listed days of one year, checked: every day in the year, no day twice, make-up workdays on weekends only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCalendar {
    year: i32,
    days: Vec<CalendarDay>,
}

impl YearCalendar {
    /// # Errors
    /// `Invalid` on `days[i]` naming the first day that breaks a rule.
    pub fn parse(year: i32, days: Vec<CalendarDay>) -> Result<Self, Invalid> {
        let year = calendar_year(year)?;
        let mut seen = BTreeSet::new();
        for (i, d) in days.iter().enumerate() {
            let field = format!("days[{i}].day");
            if d.day.year() != year {
                return Err(Invalid::new(field, "wrong_year", format!("is not in {year}")));
            }
            if !seen.insert(d.day) {
                return Err(Invalid::new(field, "duplicate", "is listed twice"));
            }
            if d.kind == DayKind::Workday && !is_weekend(d.day) {
                return Err(Invalid::new(
                    field,
                    "not_a_weekend",
                    "a make-up workday must be a Saturday or Sunday",
                ));
            }
            if d.name.as_ref().is_some_and(|n| n.chars().count() > 40) {
                return Err(Invalid::new(
                    format!("days[{i}].name"),
                    "too_long",
                    "at most 40 characters",
                ));
            }
        }
        let mut days = days;
        days.sort_by_key(|d| d.day);
        Ok(YearCalendar { year, days })
    }

    #[must_use]
    pub fn year(&self) -> i32 {
        self.year
    }

    #[must_use]
    pub fn days(&self) -> &[CalendarDay] {
        &self.days
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A calendar from listed days of any number of years.
#[must_use]
pub fn calendar_of<'a>(days: impl IntoIterator<Item = &'a CalendarDay>) -> Calendar {
    let (mut holidays, mut workdays) = (Vec::new(), Vec::new());
    for d in days {
        match d.kind {
            DayKind::Holiday => holidays.push(d.day),
            DayKind::Workday => workdays.push(d.day),
        }
    }
    Calendar::new(holidays, workdays)
}

/// (festival, first day off, last day off, make-up workdays), as the notice gives them.
type Festival = (&'static str, (u32, u32), (u32, u32), &'static [(u32, u32)]);

/// 国办发明电〔2023〕7号.
const Y2024: &[Festival] = &[
    ("元旦", (1, 1), (1, 1), &[]),
    ("春节", (2, 10), (2, 17), &[(2, 4), (2, 18)]),
    ("清明节", (4, 4), (4, 6), &[(4, 7)]),
    ("劳动节", (5, 1), (5, 5), &[(4, 28), (5, 11)]),
    ("端午节", (6, 10), (6, 10), &[]),
    ("中秋节", (9, 15), (9, 17), &[(9, 14)]),
    ("国庆节", (10, 1), (10, 7), &[(9, 29), (10, 12)]),
];

/// 国办发明电〔2024〕12号 (the first under the revised rules: 春节 and 劳动节 each one day longer).
const Y2025: &[Festival] = &[
    ("元旦", (1, 1), (1, 1), &[]),
    ("春节", (1, 28), (2, 4), &[(1, 26), (2, 8)]),
    ("清明节", (4, 4), (4, 6), &[]),
    ("劳动节", (5, 1), (5, 5), &[(4, 27)]),
    ("端午节", (5, 31), (6, 2), &[]),
    ("国庆节、中秋节", (10, 1), (10, 8), &[(9, 28), (10, 11)]),
];

/// 国办发明电〔2025〕7号.
const Y2026: &[Festival] = &[
    ("元旦", (1, 1), (1, 3), &[(1, 4)]),
    ("春节", (2, 15), (2, 23), &[(2, 14), (2, 28)]),
    ("清明节", (4, 4), (4, 6), &[]),
    ("劳动节", (5, 1), (5, 5), &[(5, 9)]),
    ("端午节", (6, 19), (6, 21), &[]),
    ("中秋节", (9, 25), (9, 27), &[]),
    ("国庆节", (10, 1), (10, 7), &[(9, 20), (10, 10)]),
];

/// The years that ship with the service.
pub const SHIPPED_YEARS: [i32; 3] = [2024, 2025, 2026];

/// A shipped year's calendar, or `None` for a year the service does not carry.
#[must_use]
pub fn shipped(year: i32) -> Option<YearCalendar> {
    let festivals = match year {
        2024 => Y2024,
        2025 => Y2025,
        2026 => Y2026,
        _ => return None,
    };
    let date = |(m, d): (u32, u32)| NaiveDate::from_ymd_opt(year, m, d);
    let mut days = Vec::new();
    for &(name, first, last, workdays) in festivals {
        let (mut day, last) = (date(first)?, date(last)?);
        while day <= last {
            days.push(CalendarDay {
                day,
                kind: DayKind::Holiday,
                name: Some(name.to_owned()),
            });
            day = day.succ_opt()?;
        }
        for &w in workdays {
            days.push(CalendarDay {
                day: date(w)?,
                kind: DayKind::Workday,
                name: Some(name.to_owned()),
            });
        }
    }
    YearCalendar::parse(year, days).ok()
}

#[cfg(test)]
mod tests {
    use super::super::deadline::Span;
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
    }

    fn all() -> Calendar {
        let years: Vec<YearCalendar> = SHIPPED_YEARS.iter().filter_map(|&y| shipped(y)).collect();
        calendar_of(years.iter().flat_map(YearCalendar::days))
    }

    #[test]
    fn every_shipped_year_parses_and_make_up_days_fall_on_weekends() {
        for year in SHIPPED_YEARS {
            let cal = shipped(year).expect("ships");
            assert!(cal.days().iter().any(|d| d.kind == DayKind::Workday) || year == 2025);
        }
        // Holidays: 2024 has 7 festivals' days off (1+8+3+5+1+3+7), 2025 has 1+8+3+5+3+8, 2026 has 3+9+3+5+3+3+7.
        let count = |y| {
            shipped(y)
                .expect("ships")
                .days()
                .iter()
                .filter(|d| d.kind == DayKind::Holiday)
                .count()
        };
        assert_eq!((count(2024), count(2025), count(2026)), (28, 28, 33));
    }

    #[test]
    fn spring_festival_2025_rests_and_its_make_up_sunday_works() {
        let cal = all();
        // Sunday 26 January 2025 is worked; Tuesday 28 January to Tuesday 4 February rest; Saturday 8 February works.
        assert!(cal.is_working_day(NaiveDate::from_ymd_opt(2025, 1, 26).expect("date")));
        assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2025, 2, 3).expect("date")));
        assert!(cal.is_working_day(NaiveDate::from_ymd_opt(2025, 2, 8).expect("date")));
        // Routed on Monday 27 January, 10:00: the next working day is Wednesday 5 February; five working days run
        // 5, 6, 7, 8 (Saturday, worked) and 10 February.
        assert_eq!(
            cal.due(at("2025-01-27T10:00:00+08:00"), Span::working(1)),
            at("2025-02-06T00:00:00+08:00")
        );
        assert_eq!(
            cal.due(at("2025-01-27T10:00:00+08:00"), Span::working(5)),
            at("2025-02-11T00:00:00+08:00")
        );
    }

    #[test]
    fn national_day_2026_counts_the_make_up_saturday() {
        let cal = all();
        // Friday 30 September 2026 → 1–7 October rest, Saturday 10 October works.
        // Working days after 30 Sep: 8 (Thu), 9 (Fri), 10 (Sat, make-up), 12 (Mon).
        assert_eq!(
            cal.due(at("2026-09-30T16:00:00+08:00"), Span::working(3)),
            at("2026-10-11T00:00:00+08:00")
        );
        assert_eq!(
            cal.due(at("2026-09-30T16:00:00+08:00"), Span::working(4)),
            at("2026-10-13T00:00:00+08:00")
        );
        // Sunday 20 September 2026 is worked: a report routed Saturday the 19th is due that Sunday night.
        assert_eq!(
            cal.due(at("2026-09-19T09:00:00+08:00"), Span::working(1)),
            at("2026-09-21T00:00:00+08:00")
        );
        // Spring Festival 2026: routed Friday 13 February, the next working day is Saturday the 14th (make-up), then
        // nine days off to the 23rd, then Tuesday the 24th.
        assert_eq!(
            cal.due(at("2026-02-13T09:00:00+08:00"), Span::working(2)),
            at("2026-02-25T00:00:00+08:00")
        );
    }

    #[test]
    fn a_year_is_checked_before_it_replaces_the_old_one() {
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).expect("date");
        let ok = YearCalendar::parse(
            2027,
            vec![CalendarDay {
                day: day(1, 1),
                kind: DayKind::Holiday,
                name: Some("元旦".into()),
            }],
        );
        assert!(ok.is_ok());
        let weekday_worked = YearCalendar::parse(
            2027,
            vec![CalendarDay {
                day: day(1, 4),
                kind: DayKind::Workday,
                name: None,
            }],
        );
        assert_eq!(weekday_worked.expect_err("refused").field, "days[0].day");
        let other_year = YearCalendar::parse(
            2028,
            vec![CalendarDay {
                day: day(1, 1),
                kind: DayKind::Holiday,
                name: None,
            }],
        );
        assert!(other_year.is_err());
    }
}
