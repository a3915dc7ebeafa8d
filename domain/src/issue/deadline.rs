//! Deadlines: a policy says how long each stage may take, in days or working days; a calendar says which days work.
//!
//! A deadline falls at the end of its last day in Asia/Shanghai (24:00 local), whatever the hour the stage began:
//! "sign within one working day" of a report routed on Friday afternoon means by Monday night.

use crate::Invalid;
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// China Standard Time, which has no daylight saving: a fixed offset is exact.
pub const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

#[must_use]
pub fn shanghai() -> FixedOffset {
    SHANGHAI
}

/// 00:00 Asia/Shanghai of the day `t` falls on: where "per day" limits start counting.
#[must_use]
pub fn start_of_local_day(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_timezone(&SHANGHAI)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|d| d.and_local_timezone(SHANGHAI).single())
        .map_or(t, |d| d.with_timezone(&Utc))
}

/// Which days are working days: weekdays, minus statutory holidays, plus make-up workdays (调休).
/// Issue 5 ships the State Council's data; an empty calendar counts weekends only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    #[must_use]
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>, workdays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Calendar {
            holidays: holidays.into_iter().collect(),
            workdays: workdays.into_iter().collect(),
        }
    }

    #[must_use]
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        !self.holidays.contains(&day) && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Where a deadline due at `due` moves once an extension of `span` is granted: counted on from its last day (a
    /// deadline is 24:00 of its last day, so from the second before).
    #[must_use]
    pub fn extended(&self, due: DateTime<Utc>, span: Span) -> DateTime<Utc> {
        self.due(due - chrono::Duration::seconds(1), span)
    }

    /// The end (24:00 Asia/Shanghai) of the last day of `span` counted from the day after `start`'s local day — or,
    /// for a span that does not end with the day, that last day at `start`'s time of day.
    #[must_use]
    pub fn due(&self, start: DateTime<Utc>, span: Span) -> DateTime<Utc> {
        let local = start.with_timezone(&shanghai());
        let mut day = local.date_naive();
        let mut left = span.count;
        while left > 0 {
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
            if span.unit == Unit::Days || self.is_working_day(day) {
                left -= 1;
            }
        }
        if !span.end_of_day {
            return day
                .and_time(local.time())
                .and_local_timezone(shanghai())
                .single()
                .map_or(start, |t| t.with_timezone(&Utc));
        }
        let end = day.checked_add_days(Days::new(1)).unwrap_or(day);
        end.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(shanghai()).single())
            .map_or(start, |t| t.with_timezone(&Utc))
    }
}

impl Calendar {
    /// How many working days lie between two instants: the hours that fell on working days (Asia/Shanghai), over 24.
    /// A handler who signs at 17:00 an issue routed at 09:00 the same Tuesday took a third of a working day; the
    /// weekend and the holidays between a Friday routing and a Monday signing do not count against them.
    #[must_use]
    pub fn working_days_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
        if to <= from {
            return 0.0;
        }
        let mut seconds: i64 = 0;
        let mut day_start = start_of_local_day(from);
        while day_start < to {
            let next = day_start + chrono::Duration::days(1);
            if self.is_working_day(day_start.with_timezone(&SHANGHAI).date_naive()) {
                let start = day_start.max(from);
                let end = next.min(to);
                seconds += (end - start).num_seconds();
            }
            day_start = next;
        }
        #[allow(clippy::cast_precision_loss)]
        let days = seconds as f64 / 86_400.0;
        days
    }
}

/// Whether a span counts every day or only working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    WorkingDays,
}

crate::word_enum!(Unit { Days => "days", WorkingDays => "working_days" });

/// A length of time a stage may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Span {
    pub count: u16,
    pub unit: Unit,
    /// True (the default): due at the end (24:00 Asia/Shanghai) of the last day. False: at the same time of day the
    /// stage began, as a "within 24 hours" rule wants.
    #[serde(default = "at_end_of_day")]
    pub end_of_day: bool,
}

fn at_end_of_day() -> bool {
    true
}

impl Span {
    /// # Errors
    /// `Invalid` on `field` unless 1 to 366.
    pub fn parse(field: &str, count: i64, unit: Unit) -> Result<Self, Invalid> {
        match u16::try_from(count) {
            Ok(count) if (1..=366).contains(&count) => Ok(Span {
                count,
                unit,
                end_of_day: true,
            }),
            _ => Err(Invalid::new(field, "out_of_range", "must be 1 to 366")),
        }
    }

    #[must_use]
    pub const fn working(count: u16) -> Self {
        Span {
            count,
            unit: Unit::WorkingDays,
            end_of_day: true,
        }
    }

    #[must_use]
    pub const fn days(count: u16) -> Self {
        Span {
            count,
            unit: Unit::Days,
            end_of_day: true,
        }
    }
}

/// The stages that have a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The lead agency signs for a routed issue.
    Sign,
    /// The lead agency replies (first round).
    Reply,
    /// The lead agency replies again after a reopen.
    Rereply,
    /// A formal deputy suggestion is answered (by law within three months).
    Suggestion,
    /// The reporter rates the reply; unrated replies close when it passes.
    Rate,
}

impl Stage {
    /// The glossary's word, as the console shows it.
    #[must_use]
    pub fn glossary(self) -> &'static str {
        match self {
            Stage::Sign => "签收",
            Stage::Reply => "答复",
            Stage::Rereply => "重新答复",
            Stage::Suggestion => "建议办理",
            Stage::Rate => "评价",
        }
    }
}

crate::word_enum!(Stage {
    Sign => "sign",
    Reply => "reply",
    Rereply => "rereply",
    Suggestion => "suggestion",
    Rate => "rate",
});

/// What a deadline on the three-colour board is of: an issue's stage, or an elected livelihood project's milestone
/// (`domain::project`: the same table, schedule and worker, but no issue and none of an issue's policies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BoardStage {
    Sign,
    Reply,
    Rereply,
    Suggestion,
    Rate,
    Milestone,
}

crate::word_enum!(BoardStage {
    Sign => "sign",
    Reply => "reply",
    Rereply => "rereply",
    Suggestion => "suggestion",
    Rate => "rate",
    Milestone => "milestone",
});

impl BoardStage {
    /// The issue stage it is; none for a milestone.
    #[must_use]
    pub fn issue_stage(self) -> Option<Stage> {
        match self {
            BoardStage::Sign => Some(Stage::Sign),
            BoardStage::Reply => Some(Stage::Reply),
            BoardStage::Rereply => Some(Stage::Rereply),
            BoardStage::Suggestion => Some(Stage::Suggestion),
            BoardStage::Rate => Some(Stage::Rate),
            BoardStage::Milestone => None,
        }
    }

    /// The glossary's word, as the console shows it.
    #[must_use]
    pub fn glossary(self) -> &'static str {
        self.issue_stage().map_or("项目节点", Stage::glossary)
    }
}

impl Stage {
    /// Stages an agency must meet (the others wait on a deputy's suggestion process or the reporter).
    #[must_use]
    pub fn is_agency_stage(self) -> bool {
        matches!(self, Stage::Sign | Stage::Reply | Stage::Rereply | Stage::Suggestion)
    }
}

/// How long each stage may take, for a category in a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeadlinePolicy {
    pub sign: Span,
    /// Reply to a simple issue.
    pub reply: Span,
    /// Reply to an issue routed as complex.
    pub reply_complex: Span,
    pub rereply: Span,
    pub suggestion: Span,
    pub rate: Span,
}

impl Default for DeadlinePolicy {
    /// DOMAIN.md's typical policy: sign in 1 working day, reply in 5 (15 if complex), again in 5 after a reopen,
    /// suggestions in three months, ratings within 7 days.
    fn default() -> Self {
        DeadlinePolicy {
            sign: Span::working(1),
            reply: Span::working(5),
            reply_complex: Span::working(15),
            rereply: Span::working(5),
            suggestion: Span::days(90),
            rate: Span::days(7),
        }
    }
}

/// How a deadline ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The stage was done.
    Met,
    /// The issue moved on another way (sent back, declined, reopened).
    Cancelled,
    /// Nobody acted and the service moved on (an unrated reply closed).
    Lapsed,
}

crate::word_enum!(Ending { Met => "met", Cancelled => "cancelled", Lapsed => "lapsed" });

/// What a command does to the issue's deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    End(&'static [Stage], Ending),
    Open(Stage),
}

const ALL_STAGES: &[Stage] = &[
    Stage::Sign,
    Stage::Reply,
    Stage::Rereply,
    Stage::Suggestion,
    Stage::Rate,
];
const REPLIES: &[Stage] = &[Stage::Reply, Stage::Rereply, Stage::Suggestion];

/// The deadlines a transition ends and starts. (An approved extension moves the open reply deadline instead; the
/// caller does that with the extension's span.)
#[must_use]
pub fn plan(t: &super::Transition, command: &super::Command) -> Vec<Change> {
    use super::{Command as C, Status as S};
    match command {
        C::Decline | C::Merge { .. } => vec![Change::End(ALL_STAGES, Ending::Cancelled)],
        C::Route { .. } => vec![
            Change::End(&[Stage::Sign], Ending::Cancelled),
            Change::Open(Stage::Sign),
        ],
        C::Sign => {
            let reply = if t.state.round == 1 {
                Stage::Reply
            } else {
                Stage::Rereply
            };
            vec![Change::End(&[Stage::Sign], Ending::Met), Change::Open(reply)]
        }
        C::SendBack => vec![Change::End(&[Stage::Sign], Ending::Cancelled)],
        C::Reply { .. } => vec![Change::End(REPLIES, Ending::Met), Change::Open(Stage::Rate)],
        C::Rate { .. } if t.from != t.to => vec![Change::End(&[Stage::Rate], Ending::Met)],
        C::Reopen => vec![Change::End(&[Stage::Rate], Ending::Cancelled)],
        C::Convert if !matches!(t.to, S::Replied | S::Closed) => vec![Change::Open(Stage::Suggestion)],
        _ => Vec::new(),
    }
}

/// The span of a stage under a policy. The reply stage of a complex issue takes `reply_complex`.
#[must_use]
pub fn span_of(policy: &DeadlinePolicy, stage: Stage, complex: bool) -> Span {
    match stage {
        Stage::Sign => policy.sign,
        Stage::Reply if complex => policy.reply_complex,
        Stage::Reply => policy.reply,
        Stage::Rereply => policy.rereply,
        Stage::Suggestion => policy.suggestion,
        Stage::Rate => policy.rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn a_day_starts_at_midnight_in_shanghai() {
        assert_eq!(
            start_of_local_day(at("2026-11-27T01:30:00+08:00")),
            at("2026-11-27T00:00:00+08:00")
        );
        assert_eq!(
            start_of_local_day(at("2026-11-26T17:00:00Z")),
            at("2026-11-27T00:00:00+08:00")
        );
    }

    #[test]
    fn working_days_between_count_only_working_hours() {
        let cal = Calendar::default();
        // Tuesday 09:00 → 17:00: a third of a day.
        let t = cal.working_days_between(at("2026-11-24T09:00:00+08:00"), at("2026-11-24T17:00:00+08:00"));
        assert!((t - 1.0 / 3.0).abs() < 1e-9);
        // Friday 12:00 → Monday 12:00: half of Friday and half of Monday; the weekend does not count.
        let t = cal.working_days_between(at("2026-11-27T12:00:00+08:00"), at("2026-11-30T12:00:00+08:00"));
        assert!((t - 1.0).abs() < 1e-9);
        // National Day 2026: 1–7 October rest, so Wednesday 30 September 00:00 → Friday 9 October 00:00 counts the
        // 30th, the make-up Saturday 10th is outside, and nothing in the holiday.
        let holidays = (1..=7).filter_map(|d| NaiveDate::from_ymd_opt(2026, 10, d));
        let cal = Calendar::new(holidays, NaiveDate::from_ymd_opt(2026, 10, 10));
        let t = cal.working_days_between(at("2026-09-30T00:00:00+08:00"), at("2026-10-09T00:00:00+08:00"));
        assert!((t - 2.0).abs() < 1e-9, "30 September and 8 October: {t}");
        assert!(cal.working_days_between(at("2026-10-09T00:00:00+08:00"), at("2026-10-01T00:00:00+08:00")) == 0.0);
    }

    #[test]
    fn an_extension_counts_on_from_the_last_day_of_the_old_deadline() {
        let cal = Calendar::default();
        // Due at the end of Thursday 3 December: three working days more end with Tuesday 8 December.
        let due = cal.extended(at("2026-12-04T00:00:00+08:00"), Span::working(3));
        assert_eq!(due, at("2026-12-09T00:00:00+08:00"));
        // Seven calendar days from the end of Friday 4 December: the end of Friday 11 December.
        assert_eq!(
            cal.extended(at("2026-12-05T00:00:00+08:00"), Span::days(7)),
            at("2026-12-12T00:00:00+08:00")
        );
    }

    #[test]
    fn a_friday_afternoon_routing_is_due_monday_night() {
        let cal = Calendar::default();
        // Friday 2026-11-27 15:00 in Shanghai.
        let due = cal.due(at("2026-11-27T15:00:00+08:00"), Span::working(1));
        assert_eq!(due, at("2026-12-01T00:00:00+08:00"));
        let due = cal.due(at("2026-11-27T15:00:00+08:00"), Span::days(1));
        assert_eq!(due, at("2026-11-29T00:00:00+08:00"));
        // "Within one working day" to the hour: Friday 15:00 → Monday 15:00.
        let exact = Span {
            end_of_day: false,
            ..Span::working(1)
        };
        assert_eq!(
            cal.due(at("2026-11-27T15:00:00+08:00"), exact),
            at("2026-11-30T15:00:00+08:00")
        );
    }

    #[test]
    fn holidays_rest_and_make_up_days_work() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        // A made-up week: Monday a holiday, the Saturday before it a make-up workday.
        let cal = Calendar::new([d("2026-11-30")], [d("2026-11-28")]);
        let due = cal.due(at("2026-11-27T09:00:00+08:00"), Span::working(2));
        assert_eq!(
            due,
            at("2026-12-02T00:00:00+08:00"),
            "Sat 28 works, Mon 30 rests, Tue 1 is the second"
        );
    }
}
