//! The facts a command leaves for statistics: the first time the loop passed a point, and how long that took. They
//! are kept on the issue in the command's transaction, so that figures read them instead of replaying timelines.

use crate::issue::deadline::{start_of_local_day, Calendar, Stage};
use crate::issue::Action;
use chrono::{DateTime, Utc};

/// When and how a reply came.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplyTiming {
    /// Working days since the first routing, to a tenth ([`in_tenths`]).
    pub working_days: f64,
    /// On the day of the report (Asia/Shanghai): 当场 when the reply solved the issue.
    pub same_day: bool,
    /// After the reply deadline.
    pub late: bool,
}

/// A point of the loop a command passed. Only the first passing is kept (a reopened issue's second signing does not
/// replace its first), except lateness, which sticks once earned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Checkpoint {
    Accepted,
    Routed,
    /// Working days since the first routing, and whether the sign deadline had passed.
    Signed {
        working_days: f64,
        late: bool,
    },
    Replied(ReplyTiming),
}

/// What the issue knew before the command.
#[derive(Debug, Clone, Copy)]
pub struct Before {
    pub reported_at: DateTime<Utc>,
    /// The first routing; the moment sign and reply times count from.
    pub routed_at: Option<DateTime<Utc>>,
    /// The open sign or reply deadline's due time (the one the command meets).
    pub due: Option<DateTime<Utc>>,
}

/// Does `action`'s checkpoint take time to measure (and so need the calendar, the first routing and the deadline)?
#[must_use]
pub fn is_timed(action: Action) -> bool {
    matches!(action, Action::Sign | Action::Reply)
}

/// The checkpoint `action`, done at `at`, passes.
#[must_use]
pub fn checkpoint(action: Action, before: Before, at: DateTime<Utc>, calendar: &Calendar) -> Option<Checkpoint> {
    let late = || before.due.is_some_and(|due| at > due);
    let since_routing = || {
        before
            .routed_at
            .map_or(0.0, |routed| in_tenths(calendar.working_days_between(routed, at)))
    };
    match action {
        Action::Accept => Some(Checkpoint::Accepted),
        Action::Route => Some(Checkpoint::Routed),
        Action::Sign => Some(Checkpoint::Signed {
            working_days: since_routing(),
            late: late(),
        }),
        Action::Reply => Some(Checkpoint::Replied(ReplyTiming {
            working_days: since_routing(),
            same_day: start_of_local_day(at) == start_of_local_day(before.reported_at),
            late: late(),
        })),
        _ => None,
    }
}

/// Working days to a tenth (about 48 minutes of a working day): how times to sign and reply are kept, so that a
/// day's tally can hold them as a histogram whose percentiles are the scan's (`infra::db::stats`).
#[must_use]
pub fn in_tenths(days: f64) -> f64 {
    (days * 10.0).round() / 10.0
}

/// Does a deadline of `stage` passing unmet make its issue late for the on-time rate? The agency's deadlines on the
/// way to a reply do (signing, replying, replying again); the reporter's rating deadline does not.
#[must_use]
pub fn late_when_due(stage: Stage) -> bool {
    matches!(stage, Stage::Sign | Stage::Reply | Stage::Rereply)
}

/// The stage whose open deadline `action` meets, if it is one the on-time rate judges.
#[must_use]
pub fn met_by(action: Action) -> &'static [Stage] {
    match action {
        Action::Sign => &[Stage::Sign],
        Action::Reply => &[Stage::Reply, Stage::Rereply],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn a_reply_at_the_evening_meeting_is_on_the_spot() {
        let cal = Calendar::default();
        let before = Before {
            reported_at: at("2026-11-24T19:00:00+08:00"),
            routed_at: Some(at("2026-11-24T19:10:00+08:00")),
            due: Some(at("2026-12-02T00:00:00+08:00")),
        };
        let Some(Checkpoint::Replied(spot)) = checkpoint(Action::Reply, before, at("2026-11-24T21:30:00+08:00"), &cal)
        else {
            panic!("a reply is a checkpoint");
        };
        assert!(spot.same_day && !spot.late);
        // Past midnight in Shanghai is another day, though still the same day in UTC.
        let Some(Checkpoint::Replied(later)) = checkpoint(Action::Reply, before, at("2026-11-25T00:30:00+08:00"), &cal)
        else {
            panic!("a reply is a checkpoint");
        };
        assert!(!later.same_day);
        let Some(Checkpoint::Replied(late)) = checkpoint(Action::Reply, before, at("2026-12-02T09:00:00+08:00"), &cal)
        else {
            panic!("a reply is a checkpoint");
        };
        assert!(late.late);
        assert_eq!(
            checkpoint(Action::Comment, before, at("2026-11-25T09:00:00+08:00"), &cal),
            None
        );
    }
}
