//! 待办: what waits for each role, by reason. The statuses each section selects come from the machine
//! (`statuses_for` the action it waits for), so a section holds exactly the issues in which that action applies.

use super::machine::statuses_for;
use super::{Action, Status};
use crate::role::Role;
use serde::Serialize;

/// Why something waits for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// For deputies, first: open issues reported by the voters who follow them.
    FromVoters,
    ToTriage,
    ToRoute,
    ToDecide,
    ToSign,
    ToReply,
    ToRate,
    Overdue,
    /// For handlers: their agency's open issues a deputy or staff member has urged (催办).
    Urged,
}

/// What a section selects, within the caller's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct Waiting {
    /// In these statuses; empty for any.
    pub statuses: Vec<Status>,
    /// Led by the caller's agency.
    pub own_agency: bool,
    /// Reported by the caller.
    pub own_reports: bool,
    /// Reported by the voters who follow the caller.
    pub from_voters: bool,
    /// With an extension request waiting for staff.
    pub pending_extension: bool,
    /// `Some(true)`: with an open agency deadline past due (red); `Some(false)`: with none past due, for sections
    /// that leave overdue issues to their own section (each issue shown once); `None`: either.
    pub overdue: Option<bool>,
    /// Urged (催办) by a deputy or staff member.
    pub urged: bool,
    /// Not yet rated by the caller in its current round.
    pub unrated: bool,
}

/// Waiting for `action`.
fn for_action(action: Action) -> Waiting {
    Waiting {
        statuses: statuses_for(action),
        ..Waiting::default()
    }
}

/// The sections of a role's inbox, in the order shown.
#[must_use]
pub fn sections(role: Role) -> Vec<(Reason, Waiting)> {
    let overdue = Waiting {
        overdue: Some(true),
        ..Waiting::default()
    };
    match role {
        Role::Admin | Role::Staff => vec![
            (Reason::ToTriage, for_action(Action::Accept)),
            (Reason::ToRoute, for_action(Action::Route)),
            (
                Reason::ToDecide,
                Waiting {
                    pending_extension: true,
                    ..Waiting::default()
                },
            ),
            (Reason::Overdue, overdue),
        ],
        Role::Handler => {
            let own = |w: Waiting| Waiting { own_agency: true, ..w };
            // An overdue issue is shown once, under 已超期, first: not again under 待签收 or 待答复.
            let in_time = |w: Waiting| Waiting {
                overdue: Some(false),
                ..own(w)
            };
            vec![
                (Reason::Overdue, own(overdue)),
                (Reason::ToSign, in_time(for_action(Action::Sign))),
                (Reason::ToReply, in_time(for_action(Action::Reply))),
                (
                    Reason::Urged,
                    own(Waiting {
                        urged: true,
                        ..for_action(Action::Urge)
                    }),
                ),
            ]
        }
        Role::Deputy => vec![
            (
                Reason::FromVoters,
                Waiting {
                    statuses: Status::ALL.iter().copied().filter(|s| !s.is_end()).collect(),
                    from_voters: true,
                    ..Waiting::default()
                },
            ),
            (Reason::ToTriage, for_action(Action::Accept)),
            (Reason::ToRate, rating_own()),
        ],
        // A citizen's scope is their reports and the issues they joined (我也遇到): each waits for their rating.
        Role::Citizen => vec![(
            Reason::ToRate,
            Waiting {
                unrated: true,
                ..for_action(Action::Rate)
            },
        )],
    }
}

/// The caller's own reports waiting for their rating.
fn rating_own() -> Waiting {
    Waiting {
        own_reports: true,
        ..for_action(Action::Rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_section_waits_in_the_statuses_its_action_applies_in() {
        use Status as S;
        let of = |role, reason| {
            sections(role)
                .into_iter()
                .find(|(r, _)| *r == reason)
                .map(|(_, w)| w.statuses)
                .expect("a section")
        };
        assert_eq!(of(Role::Staff, Reason::ToTriage), vec![S::Submitted]);
        assert_eq!(of(Role::Staff, Reason::ToRoute), vec![S::Accepted, S::Reopened]);
        assert_eq!(of(Role::Handler, Reason::ToSign), vec![S::Routed]);
        assert_eq!(of(Role::Handler, Reason::ToReply), vec![S::Signed, S::InProgress]);
        assert_eq!(
            of(Role::Handler, Reason::Urged),
            vec![S::Routed, S::Signed, S::InProgress]
        );
        assert_eq!(of(Role::Citizen, Reason::ToRate), vec![S::Replied]);
        assert!(!of(Role::Deputy, Reason::FromVoters).contains(&S::Closed));
        assert!(of(Role::Staff, Reason::Overdue).is_empty(), "overdue is any status");
        // A handler's overdue issue is in one section only.
        let handler = sections(Role::Handler);
        assert_eq!(handler[0].0, Reason::Overdue);
        for (reason, waiting) in &handler[1..] {
            if matches!(reason, Reason::ToSign | Reason::ToReply) {
                assert_eq!(waiting.overdue, Some(false), "{reason:?}");
            }
        }
    }
}
