//! Supervising an elected livelihood project (民生实事项目): its milestones are deadlines the responsible agency must
//! meet, coloured and reminded like an issue's agency stages (`issue::warning`): yellow from the warning share of
//! their time, a reminder to the agency's handlers then, and when due the handlers, the agency's contact and the
//! region's staff hear; staff and the level above hear again while it stays overdue.

use crate::issue::deadline::{Calendar, SHANGHAI};
use crate::issue::warning::{first_step_of, step_after_of, warn_at, Step, Supervision, Timing};
use chrono::{DateTime, Days, Duration, NaiveDate, Utc};

/// A milestone falls due at the end (24:00 Asia/Shanghai) of its planned day.
#[must_use]
pub fn due_at(planned_on: NaiveDate) -> Option<DateTime<Utc>> {
    planned_on
        .checked_add_days(Days::new(1))?
        .and_hms_opt(0, 0, 0)?
        .and_local_timezone(SHANGHAI)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// A milestone's deadline from the moment its project was elected: it turns yellow at the supervision's share of the
/// time (never later than the start of its last working day), its first step is that reminder.
#[must_use]
pub fn timing(
    calendar: &Calendar,
    supervision: &Supervision,
    elected_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
) -> Timing {
    let warn_at = warn_at(calendar, elected_at, due_at, supervision.share_for(false));
    Timing {
        due_at,
        warn_at,
        next: Some(first_step_of(true, warn_at, due_at)),
    }
}

/// The same milestone once the worker took step `done`.
#[must_use]
pub fn after(timing: Timing, done: Step, again: Duration) -> Timing {
    Timing {
        next: step_after_of(true, done, timing.due_at, again),
        ..timing
    }
}

/// The notification kind of a milestone's step.
#[must_use]
pub fn notice_of(step: Step) -> &'static str {
    match step {
        Step::Warn => "milestone_warned",
        Step::Due => "milestone_due",
        Step::Escalate => "milestone_escalated",
    }
}

/// The notification title of a milestone's step.
#[must_use]
pub fn title_of(step: Step) -> &'static str {
    match step {
        Step::Warn => "民生实事项目节点即将到期",
        Step::Due => "民生实事项目节点已逾期",
        Step::Escalate => "民生实事项目节点仍逾期",
    }
}

/// What is reported on an elected project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// By a handler of the responsible agency (`ProjectRole::may_report_progress`).
    Progress,
    /// 视察: by a deputy or staff.
    Inspection,
}

crate::word_enum!(ReportKind { Progress => "progress", Inspection => "inspection" });

/// A milestone as progress sees it: when it is due (once its project is elected) and when it was done.
pub type MilestoneTimes = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// How far an elected project is: its milestones done and overdue, and the percent its agency last reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub milestones: u32,
    pub done: u32,
    /// Open milestones past their due time.
    pub overdue: u32,
    pub percent: Option<u8>,
}

impl Progress {
    /// From each milestone's `(due_at, done_at)` at `now`.
    #[must_use]
    pub fn of(milestones: &[MilestoneTimes], percent: Option<u8>, now: DateTime<Utc>) -> Self {
        let count = |f: &dyn Fn(&MilestoneTimes) -> bool| {
            u32::try_from(milestones.iter().filter(|m| f(m)).count()).unwrap_or(u32::MAX)
        };
        Progress {
            milestones: count(&|_| true),
            done: count(&|(_, done)| done.is_some()),
            overdue: count(&|(due, done)| done.is_none() && due.is_some_and(|d| d <= now)),
            percent,
        }
    }

    /// The share done, 0–100: the percent its agency reported last, else its milestones done.
    #[must_use]
    pub fn done_percent(&self) -> u32 {
        match self.percent {
            Some(p) => u32::from(p),
            None if self.milestones == 0 => 0,
            None => self.done * 100 / self.milestones,
        }
    }

    /// 动态排序: ahead is the project with the larger share of its milestones done, then the one with fewer overdue,
    /// then the larger percent reported (none counts as 0).
    #[must_use]
    pub fn ranking(&self, other: &Self) -> std::cmp::Ordering {
        let share = |p: &Self, q: &Self| u64::from(p.done) * u64::from(q.milestones.max(1));
        share(other, self)
            .cmp(&share(self, other))
            .then(self.overdue.cmp(&other.overdue))
            .then(other.percent.unwrap_or(0).cmp(&self.percent.unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_kinds_spell_alike_in_json_and_words() {
        for k in ReportKind::ALL {
            assert_eq!(serde_json::to_value(k).expect("json"), serde_json::json!(k.as_str()));
        }
    }

    #[test]
    fn projects_rank_by_share_done_then_fewer_overdue_then_percent() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc);
        let now = at("2026-07-01T00:00:00Z");
        let past = Some(at("2026-06-01T00:00:00Z"));
        let later = Some(at("2026-09-01T00:00:00Z"));
        let half_slow = Progress::of(&[(past, past), (later, None)], Some(40), now);
        let half_fast = Progress::of(
            &[(past, past), (past, past), (later, None), (later, None)],
            Some(70),
            now,
        );
        let late = Progress::of(&[(past, None), (later, None)], Some(90), now);
        let not_begun = Progress::of(&[(later, None), (later, None)], None, now);
        assert_eq!((half_slow.done, half_slow.overdue), (1, 0));
        assert_eq!(late.overdue, 1);
        let mut all = [late, not_begun, half_fast, half_slow];
        all.sort_by(Progress::ranking);
        assert_eq!(all, [half_fast, half_slow, not_begun, late]);
    }

    #[test]
    fn a_milestone_is_due_at_the_end_of_its_day_and_warns_then_falls_due_then_escalates() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
        let due = due_at(day).expect("due");
        assert_eq!(due.to_rfc3339(), "2026-06-30T16:00:00+00:00");
        let elected = DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
            .expect("t")
            .with_timezone(&Utc);
        let t = timing(&Calendar::default(), &Supervision::default(), elected, due);
        assert!(t.warn_at > elected && t.warn_at < due);
        assert_eq!(t.next, Some((Step::Warn, t.warn_at)));
        let t = after(t, Step::Warn, Duration::days(1));
        assert_eq!(t.next, Some((Step::Due, due)));
        let t = after(t, Step::Due, Duration::days(1));
        assert_eq!(t.next, Some((Step::Escalate, due + Duration::days(1))));
    }
}

crate::bounded_text!(
    /// The responsible agency's answer to a citizen's comment, shown under it.
    CommentAnswer, "answer", 1, 1000
);

pub mod delivery;
pub mod money;
pub mod plan;

/// What happened to an elected project, as its timeline records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The ballot elected it: the chain begins.
    Elected,
    /// Its agency asked to change the plan.
    PlanChangeAsked,
    PlanChangeApproved,
    PlanChangeRefused,
    /// Money allocated or spent was recorded.
    MoneyRecorded,
    /// Staff placed it on the map.
    Placed,
    /// A milestone was done (a progress report completed it).
    MilestoneDone,
    /// Staff turned a citizen's comment into an issue.
    CommentTurnedIntoIssue,
    /// Its agency declared it complete.
    Completed,
    /// Staff accepted it (验收).
    Accepted,
    /// Staff returned it with what is missing.
    Returned,
    /// Deputies rated it in a satisfaction evaluation.
    Evaluated,
}

crate::word_enum!(EventKind {
    Elected => "elected",
    PlanChangeAsked => "plan_change_asked",
    PlanChangeApproved => "plan_change_approved",
    PlanChangeRefused => "plan_change_refused",
    MoneyRecorded => "money_recorded",
    Placed => "placed",
    MilestoneDone => "milestone_done",
    CommentTurnedIntoIssue => "comment_turned_into_issue",
    Completed => "completed",
    Accepted => "accepted",
    Returned => "returned",
    Evaluated => "evaluated",
});

/// The local day (Asia/Shanghai) of `now`: plans are made in days.
#[must_use]
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&SHANGHAI).date_naive()
}
