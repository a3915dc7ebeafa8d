//! 领单 — the plan can move: after the election the responsible agency asks to postpone a milestone, add one or
//! change one's content, with a reason; staff over the project approve or refuse, once, as an issue's extension is
//! decided. An approved change is the plan from then on: the milestone's deadline, colour and reminders follow it.

use crate::ballot::{MilestoneTitle, MAX_MILESTONES};
use crate::Invalid;
use chrono::NaiveDate;
use uuid::Uuid;

crate::bounded_text!(
    /// Why the plan should change, as the public page shows it (推迟：原定 6 月 30 日，因……).
    ChangeReason, "reason", 1, 500
);
crate::bounded_text!(
    /// What staff say with their decision.
    DecisionNote, "note", 1, 500
);

/// What a change asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Move an open milestone to a later day.
    Postpone { milestone: Uuid, to: NaiveDate },
    /// A new milestone.
    Add {
        title: MilestoneTitle,
        planned_on: NaiveDate,
    },
    /// Say an open milestone's content anew.
    Amend { milestone: Uuid, title: MilestoneTitle },
}

/// The kind of a change, as stored and published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Postpone,
    Add,
    Amend,
}

crate::word_enum!(ChangeKind { Postpone => "postpone", Add => "add", Amend => "amend" });

impl Change {
    #[must_use]
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Postpone { .. } => ChangeKind::Postpone,
            Change::Add { .. } => ChangeKind::Add,
            Change::Amend { .. } => ChangeKind::Amend,
        }
    }

    /// The milestone it changes; none for a new one.
    #[must_use]
    pub fn milestone(&self) -> Option<Uuid> {
        match self {
            Change::Postpone { milestone, .. } | Change::Amend { milestone, .. } => Some(*milestone),
            Change::Add { .. } => None,
        }
    }

    /// The day it plans; none for an amendment.
    #[must_use]
    pub fn planned_on(&self) -> Option<NaiveDate> {
        match self {
            Change::Postpone { to, .. } => Some(*to),
            Change::Add { planned_on, .. } => Some(*planned_on),
            Change::Amend { .. } => None,
        }
    }

    /// The title it gives; none for a postponement.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        match self {
            Change::Add { title, .. } | Change::Amend { title, .. } => Some(title.as_str()),
            Change::Postpone { .. } => None,
        }
    }

    /// Reads a stored change back.
    ///
    /// # Errors
    /// `Invalid` when the row breaks what the table's checks keep.
    pub fn stored(
        kind: &str,
        milestone: Option<Uuid>,
        title: Option<&str>,
        planned_on: Option<NaiveDate>,
    ) -> Result<Self, Invalid> {
        let broken = || {
            Invalid::new(
                "plan_change",
                "invalid",
                "a stored plan change breaks its table's rules",
            )
        };
        let title = || title.map(MilestoneTitle::parse).transpose().map_err(|_| broken());
        Ok(match kind.parse::<ChangeKind>().map_err(|_| broken())? {
            ChangeKind::Postpone => Change::Postpone {
                milestone: milestone.ok_or_else(broken)?,
                to: planned_on.ok_or_else(broken)?,
            },
            ChangeKind::Add => Change::Add {
                title: title()?.ok_or_else(broken)?,
                planned_on: planned_on.ok_or_else(broken)?,
            },
            ChangeKind::Amend => Change::Amend {
                milestone: milestone.ok_or_else(broken)?,
                title: title()?.ok_or_else(broken)?,
            },
        })
    }
}

/// A milestone as a change finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    pub id: Uuid,
    pub planned_on: NaiveDate,
    pub done: bool,
}

/// Checks a change against the plan it would change, on `today` (Asia/Shanghai): a postponement moves an open
/// milestone of this project later and not into the past; a new milestone is not planned in the past and the plan
/// holds at most `MAX_MILESTONES`; an amendment names an open milestone of this project.
///
/// # Errors
/// `Invalid` on `milestone_id` or `planned_on`.
pub fn may_ask(change: &Change, plan: &[Planned], today: NaiveDate) -> Result<(), Invalid> {
    let open = |id: Uuid| -> Result<&Planned, Invalid> {
        let m = plan
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| Invalid::new("milestone_id", "unknown", "not a milestone of this project"))?;
        if m.done {
            return Err(Invalid::new(
                "milestone_id",
                "done",
                "this milestone is done: its plan is history",
            ));
        }
        Ok(m)
    };
    match change {
        Change::Postpone { milestone, to } => {
            let m = open(*milestone)?;
            if *to <= m.planned_on {
                return Err(Invalid::new(
                    "planned_on",
                    "not_later",
                    format!("a postponement moves the milestone later than {}", m.planned_on),
                ));
            }
            if *to < today {
                return Err(Invalid::new("planned_on", "past", "must not be in the past"));
            }
        }
        Change::Add { planned_on, .. } => {
            if *planned_on < today {
                return Err(Invalid::new("planned_on", "past", "must not be in the past"));
            }
            if plan.len() >= MAX_MILESTONES {
                return Err(Invalid::new(
                    "milestones",
                    "too_many",
                    format!("a project plans at most {MAX_MILESTONES} milestones"),
                ));
            }
        }
        Change::Amend { milestone, .. } => {
            open(*milestone)?;
        }
    }
    Ok(())
}

/// What staff decide of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeDecision {
    Approved,
    Refused,
}

crate::word_enum!(ChangeDecision { Approved => "approved", Refused => "refused" });

/// Whether a change may be decided: once. An approval must still fit the plan as it stands now (the milestone may have
/// been done meanwhile, or `today` moved past the new day).
///
/// # Errors
/// `Err(None)` when it was decided already; `Err(Some(invalid))` when an approval no longer fits.
pub fn may_decide(
    decided: Option<ChangeDecision>,
    decision: ChangeDecision,
    change: &Change,
    plan: &[Planned],
    today: NaiveDate,
) -> Result<(), Option<Invalid>> {
    if decided.is_some() {
        return Err(None);
    }
    if decision == ChangeDecision::Approved {
        may_ask(change, plan, today).map_err(Some)?;
    }
    Ok(())
}

/// The sentence the public page shows for an approved change, e.g. 推迟：原定 2027-06-30，改为 2027-09-30，因……
#[must_use]
pub fn sentence(change: &Change, was: Option<(&str, NaiveDate)>, reason: &str) -> String {
    match (change, was) {
        (Change::Postpone { to, .. }, Some((title, from))) => {
            format!("推迟「{title}」：原定 {from}，改为 {to}，因{reason}")
        }
        (Change::Add { title, planned_on }, _) => format!("新增节点「{}」（{planned_on}），因{reason}", title.as_str()),
        (Change::Amend { title, .. }, Some((old, _))) => {
            format!("调整节点「{old}」为「{}」，因{reason}", title.as_str())
        }
        (_, None) => format!("调整计划，因{reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_postponement_moves_an_open_milestone_later_and_not_into_the_past() {
        let (open, done) = (Uuid::now_v7(), Uuid::now_v7());
        let plan = [
            Planned {
                id: done,
                planned_on: day("2027-03-31"),
                done: true,
            },
            Planned {
                id: open,
                planned_on: day("2027-06-30"),
                done: false,
            },
        ];
        let today = day("2027-05-01");
        let later = Change::Postpone {
            milestone: open,
            to: day("2027-09-30"),
        };
        assert_eq!(may_ask(&later, &plan, today), Ok(()));
        let earlier = Change::Postpone {
            milestone: open,
            to: day("2027-06-01"),
        };
        assert_eq!(may_ask(&earlier, &plan, today).map_err(|e| e.code), Err("not_later"));
        let history = Change::Postpone {
            milestone: done,
            to: day("2027-09-30"),
        };
        assert_eq!(may_ask(&history, &plan, today).map_err(|e| e.code), Err("done"));
        let stranger = Change::Amend {
            milestone: Uuid::now_v7(),
            title: MilestoneTitle::parse("x").expect("t"),
        };
        assert_eq!(
            may_ask(&stranger, &plan, today).map_err(|e| e.field),
            Err("milestone_id".to_owned())
        );
        let past = Change::Add {
            title: MilestoneTitle::parse("补充").expect("t"),
            planned_on: day("2027-04-01"),
        };
        assert_eq!(may_ask(&past, &plan, today).map_err(|e| e.code), Err("past"));
    }

    #[test]
    fn a_change_is_decided_once_and_an_approval_must_still_fit() {
        let m = Uuid::now_v7();
        let change = Change::Postpone {
            milestone: m,
            to: day("2027-09-30"),
        };
        let open = [Planned {
            id: m,
            planned_on: day("2027-06-30"),
            done: false,
        }];
        let done = [Planned {
            id: m,
            planned_on: day("2027-06-30"),
            done: true,
        }];
        let today = day("2027-05-01");
        assert_eq!(
            may_decide(None, ChangeDecision::Approved, &change, &open, today),
            Ok(())
        );
        assert_eq!(
            may_decide(
                Some(ChangeDecision::Refused),
                ChangeDecision::Approved,
                &change,
                &open,
                today
            ),
            Err(None)
        );
        assert!(matches!(
            may_decide(None, ChangeDecision::Approved, &change, &done, today),
            Err(Some(_))
        ));
        assert_eq!(may_decide(None, ChangeDecision::Refused, &change, &done, today), Ok(()));
    }

    #[test]
    fn the_public_sentence_says_what_was_planned_and_why() {
        let change = Change::Postpone {
            milestone: Uuid::now_v7(),
            to: day("2027-09-30"),
        };
        assert_eq!(
            sentence(&change, Some(("完成施工", day("2027-06-30"))), "雨季延误"),
            "推迟「完成施工」：原定 2027-06-30，改为 2027-09-30，因雨季延误"
        );
    }
}
