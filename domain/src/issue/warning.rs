//! 三色警示: an open deadline is green while on track, yellow once a share of its time is used or less than one
//! working day is left, red once it has passed. And what happens when: the steps the worker takes for a deadline.
//!
//! The moment a deadline turns yellow is fixed when it opens (or moves) and kept with it, so that an issue, a list
//! filter, the inbox and `GET /deadlines` all compare the same two moments with the same clock.

use super::deadline::{Calendar, Stage, SHANGHAI};
use crate::fraction::Fraction;
use crate::Invalid;
use chrono::{DateTime, Days, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The colour of an open deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    Green,
    Yellow,
    Red,
}

crate::word_enum!(Warning { Green => "green", Yellow => "yellow", Red => "red" });

impl Warning {
    /// The glossary's word, as the console shows it.
    #[must_use]
    pub fn glossary(self) -> &'static str {
        match self {
            Warning::Green => "正常",
            Warning::Yellow => "临期",
            Warning::Red => "超期",
        }
    }
}

/// The colour at `now` of a deadline that turns yellow at `warn_at` and is due at `due_at`.
#[must_use]
pub fn level(warn_at: DateTime<Utc>, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Warning {
    if now >= due_at {
        Warning::Red
    } else if now >= warn_at {
        Warning::Yellow
    } else {
        Warning::Green
    }
}

/// A share of a deadline's time, such as 2/3: a fraction above zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share(Fraction);

impl Share {
    pub const TWO_THIRDS: Share = Share(Fraction::TWO_THIRDS);
    pub const HALF: Share = Share(Fraction::HALF);

    /// Parses `a/b` with 0 < a < b ≤ 100.
    ///
    /// # Errors
    /// `Invalid` on `field` otherwise.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Fraction::parse(field, raw)
            .ok()
            .filter(|f| f.num() > 0)
            .map(Share)
            .ok_or_else(|| {
                Invalid::new(
                    field,
                    "invalid_share",
                    "must be a fraction a/b with 0 < a < b ≤ 100, like 2/3",
                )
            })
    }

    fn of(self, d: Duration) -> Duration {
        d * i32::try_from(self.0.num()).unwrap_or(1) / i32::try_from(self.0.den()).unwrap_or(1)
    }
}

/// When a deadline that started at `started` and is due at `due` turns yellow: after `share` of its time, or at the
/// start of its last working day, whichever comes first (never before it started).
#[must_use]
pub fn warn_at(calendar: &Calendar, started: DateTime<Utc>, due: DateTime<Utc>, share: Share) -> DateTime<Utc> {
    let by_share = started + share.of(due - started);
    // Never after the deadline itself: a deadline already past when it starts is red, not yellow-then-red.
    by_share
        .min(last_working_day_start(calendar, due))
        .max(started)
        .min(due)
}

/// 00:00 Asia/Shanghai of the last working day before `due` (a day's end); a day before `due` when none is near.
fn last_working_day_start(calendar: &Calendar, due: DateTime<Utc>) -> DateTime<Utc> {
    let mut day = (due - Duration::seconds(1)).with_timezone(&SHANGHAI).date_naive();
    for _ in 0..30 {
        if calendar.is_working_day(day) {
            return day
                .and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(SHANGHAI).single())
                .map_or(due - Duration::days(1), |t| t.with_timezone(&Utc));
        }
        day = day.checked_sub_days(Days::new(1)).unwrap_or(day);
    }
    due - Duration::days(1)
}

/// What the worker does for a deadline, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// It turned yellow: remind the agency's handlers.
    Warn,
    /// It is due: remind the handlers and escalate to staff (it is now red). For a rating, close the reply unrated.
    Due,
    /// Still open a while after: escalate again.
    Escalate,
}

crate::word_enum!(Step { Warn => "warn", Due => "due", Escalate => "escalate" });

/// How the worker times its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supervision {
    /// The share of time after which a deadline turns yellow.
    pub share: Share,
    /// The same for an issue under key supervision (挂牌督办): sooner.
    pub key_share: Share,
    /// How long after the deadline staff hear again when it is still open.
    pub escalate_again: Duration,
    /// How often one person may urge one issue.
    pub urge_every: Duration,
}

impl Default for Supervision {
    fn default() -> Self {
        Supervision {
            share: Share::TWO_THIRDS,
            key_share: Share::HALF,
            escalate_again: Duration::hours(24),
            urge_every: Duration::hours(24),
        }
    }
}

impl Supervision {
    /// The share that applies to an issue.
    #[must_use]
    pub fn share_for(&self, key_supervision: bool) -> Share {
        if key_supervision {
            self.key_share
        } else {
            self.share
        }
    }

    /// May someone who last urged this issue at `last` urge it again at `now`?
    ///
    /// # Errors
    /// The moment they may.
    pub fn may_urge(&self, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        match last {
            Some(last) if now < last + self.urge_every => Err(last + self.urge_every),
            _ => Ok(()),
        }
    }

    /// Key supervision escalates again in half the time.
    #[must_use]
    pub fn again_for(&self, key_supervision: bool) -> Duration {
        if key_supervision {
            self.escalate_again / 2
        } else {
            self.escalate_again
        }
    }
}

/// Does key supervision (挂牌督办) bring a deadline's yellow warning forward? Only while the warning is still to
/// come: a deadline already yellow or past due keeps its steps.
#[must_use]
pub fn retimed_by_key_supervision(next: Option<Step>) -> bool {
    next == Some(Step::Warn)
}

/// The first step of a deadline: a reminder when it turns yellow for the agency's stages; the rating stage only
/// has its end.
#[must_use]
pub fn first_step(stage: Stage, warn_at: DateTime<Utc>, due_at: DateTime<Utc>) -> (Step, DateTime<Utc>) {
    first_step_of(stage.is_agency_stage(), warn_at, due_at)
}

/// The first step of a deadline an agency must meet (`agency`: an issue's agency stages, a project's milestones) or
/// not (a rating the reporter owes).
#[must_use]
pub fn first_step_of(agency: bool, warn_at: DateTime<Utc>, due_at: DateTime<Utc>) -> (Step, DateTime<Utc>) {
    if agency {
        (Step::Warn, warn_at)
    } else {
        (Step::Due, due_at)
    }
}

/// The step after `done`, if any.
#[must_use]
pub fn step_after(stage: Stage, done: Step, due_at: DateTime<Utc>, again: Duration) -> Option<(Step, DateTime<Utc>)> {
    step_after_of(stage.is_agency_stage(), done, due_at, again)
}

/// The step after `done` of a deadline an agency must meet (`agency`) or not.
#[must_use]
pub fn step_after_of(
    agency: bool,
    done: Step,
    due_at: DateTime<Utc>,
    again: Duration,
) -> Option<(Step, DateTime<Utc>)> {
    match (agency, done) {
        (true, Step::Warn) => Some((Step::Due, due_at)),
        (true, Step::Due) => Some((Step::Escalate, due_at + again)),
        _ => None,
    }
}

/// When a deadline is due, when it turns yellow, and what the worker does next (and when).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub due_at: DateTime<Utc>,
    pub warn_at: DateTime<Utc>,
    pub next: Option<(Step, DateTime<Utc>)>,
}

impl Timing {
    /// A deadline of `stage` from `started` to `due_at`, its warning placed by the supervision rules, its first step
    /// still to come.
    #[must_use]
    pub fn new(
        calendar: &Calendar,
        supervision: &Supervision,
        stage: Stage,
        started: DateTime<Utc>,
        due_at: DateTime<Utc>,
        key_supervision: bool,
    ) -> Self {
        let warn_at = warn_at(calendar, started, due_at, supervision.share_for(key_supervision));
        Timing {
            due_at,
            warn_at,
            next: Some(first_step(stage, warn_at, due_at)),
        }
    }

    /// The same deadline once the worker has taken step `done`.
    #[must_use]
    pub fn after(self, stage: Stage, done: Step, again: Duration) -> Self {
        Timing {
            next: step_after(stage, done, self.due_at, again),
            ..self
        }
    }
}

/// An issue's colour: the worst of its open deadlines that an agency must meet (a rating the reporter owes colours
/// nothing). `None` when no agency deadline is open.
#[must_use]
pub fn worst(
    deadlines: impl IntoIterator<Item = (Stage, DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Option<Warning> {
    deadlines
        .into_iter()
        .filter(|(stage, _, _)| stage.is_agency_stage())
        .map(|(_, warn_at, due_at)| level(warn_at, due_at, now))
        .max()
}

#[cfg(test)]
mod tests {
    use super::super::deadline::Span;
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn key_supervision_moves_only_a_warning_still_to_come() {
        assert!(retimed_by_key_supervision(Some(Step::Warn)));
        assert!(!retimed_by_key_supervision(Some(Step::Due)));
        assert!(!retimed_by_key_supervision(Some(Step::Escalate)));
        assert!(!retimed_by_key_supervision(None));
    }

    #[test]
    fn yellow_after_two_thirds_or_on_the_last_working_day() {
        let cal = Calendar::default();
        // Routed Monday 09:00 with one working day: due Wednesday 00:00. Two thirds of 39 hours is Tuesday 11:00;
        // the last working day (Tuesday) starts at 00:00, which is sooner.
        let start = at("2026-11-23T09:00:00+08:00");
        let due = cal.due(start, Span::working(1));
        assert_eq!(due, at("2026-11-25T00:00:00+08:00"));
        assert_eq!(
            warn_at(&cal, start, due, Share::TWO_THIRDS),
            at("2026-11-24T00:00:00+08:00")
        );
        // Five working days: due Tuesday 1 December 00:00 (the weekend does not count); two thirds comes first.
        let due = cal.due(start, Span::working(5));
        assert_eq!(due, at("2026-12-01T00:00:00+08:00"));
        let w = warn_at(&cal, start, due, Share::TWO_THIRDS);
        assert_eq!(w, at("2026-11-28T11:00:00+08:00"));
        assert_eq!(level(w, due, w - Duration::seconds(1)), Warning::Green);
        assert_eq!(level(w, due, w), Warning::Yellow);
        assert_eq!(level(w, due, due), Warning::Red);
        // Key supervision: half.
        assert!(warn_at(&cal, start, due, Share::HALF) < w);
    }

    #[test]
    fn a_deadline_never_turns_yellow_after_it_is_due() {
        let cal = Calendar::default();
        // A milestone planned before the day its project was elected: already due when it starts.
        let started = at("2026-12-01T10:00:00+08:00");
        let due = at("2026-11-20T00:00:00+08:00");
        let w = warn_at(&cal, started, due, Share::TWO_THIRDS);
        assert!(w <= due, "warn_at {w} passes due_at {due}");
        assert_eq!(level(w, due, started), Warning::Red);
    }

    #[test]
    fn an_issue_takes_the_worst_colour_of_its_agency_deadlines() {
        let now = at("2026-12-01T12:00:00+08:00");
        let (past, future) = (now - Duration::hours(1), now + Duration::hours(1));
        assert_eq!(
            worst([(Stage::Rate, past, past)], now),
            None,
            "a rating colours nothing"
        );
        assert_eq!(
            worst([(Stage::Sign, future, future), (Stage::Reply, past, future)], now),
            Some(Warning::Yellow)
        );
        assert_eq!(
            worst([(Stage::Reply, past, past), (Stage::Sign, future, future)], now),
            Some(Warning::Red)
        );
    }

    #[test]
    fn shares_are_proper_fractions() {
        assert_eq!(Share::parse("s", "2/3"), Ok(Share::TWO_THIRDS));
        for bad in ["3/2", "0/3", "1", "a/b", "1/1000"] {
            assert!(Share::parse("s", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn agency_deadlines_warn_then_fall_due_then_escalate_once() {
        let (w, d) = (at("2026-11-27T00:00:00+08:00"), at("2026-11-28T00:00:00+08:00"));
        let again = Duration::hours(24);
        assert_eq!(first_step(Stage::Reply, w, d), (Step::Warn, w));
        assert_eq!(step_after(Stage::Reply, Step::Warn, d, again), Some((Step::Due, d)));
        assert_eq!(
            step_after(Stage::Reply, Step::Due, d, again),
            Some((Step::Escalate, d + again))
        );
        assert_eq!(step_after(Stage::Reply, Step::Escalate, d, again), None);
        assert_eq!(first_step(Stage::Rate, w, d), (Step::Due, d));
        assert_eq!(step_after(Stage::Rate, Step::Due, d, again), None);
    }
}
