//! A command's plan: what it does, decided whole before anything is written — the next state, the deadlines it ends
//! and opens, who is told, and the fact statistics count. The runner (`app::issues::command`) applies a plan in the
//! command's transaction; nothing it writes is decided there.

use super::deadline::{self, Calendar, Change, Ending, Stage};
use super::machine::{close_unrated, decide, Command, IssueState, Limits, Refusal, Transition};
use super::notice::{of_command, Notice};
use super::Relations;
use crate::stats::facts::{checkpoint, met_by, Before};
use crate::stats::Checkpoint;
use chrono::{DateTime, Utc};

/// The issue as the command found it (locked).
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    pub relations: &'a Relations,
    pub state: &'a IssueState,
    pub reported_at: DateTime<Utc>,
    /// The first routing, which sign and reply times count from.
    pub routed_at: Option<DateTime<Utc>>,
    /// The open deadlines: stage and due moment.
    pub open: &'a [(Stage, DateTime<Utc>)],
}

/// What an accepted command does.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub transition: Transition,
    /// The deadlines it ends and opens, in order.
    pub deadlines: Vec<Change>,
    /// What its audiences are told.
    pub notices: Vec<Notice>,
    /// The checkpoint statistics count (the first acceptance, routing, signing, reply, and how long they took),
    /// judged against the deadline the command meets before it ends.
    pub checkpoint: Option<Checkpoint>,
}

/// Judges `command` on the issue as found and plans what it does at `now`.
///
/// # Errors
/// Why the command is refused (`decide`).
pub fn of(
    found: &Situation<'_>,
    command: &Command,
    limits: Limits,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Result<Plan, Refusal> {
    let transition = decide(found.relations, found.state, command, limits)?;
    let action = command.action();
    let due = found
        .open
        .iter()
        .find(|(stage, _)| met_by(action).contains(stage))
        .map(|(_, due)| *due);
    let before = Before {
        reported_at: found.reported_at,
        routed_at: found.routed_at,
        due,
    };
    Ok(Plan {
        deadlines: deadline::plan(&transition, command),
        notices: of_command(action, &transition),
        checkpoint: checkpoint(action, before, now, calendar),
        transition,
    })
}

/// What the service does when a replied issue's rating deadline passes with no rating: the plan of its own command.
#[derive(Debug, Clone, PartialEq)]
pub enum RatingLapsed {
    /// The issue closes unrated: the rating deadline lapses and whoever follows the issue is told it closed.
    Closes(Plan),
    /// The issue is no longer waiting for a rating (reopened, say): the stale deadline is only cancelled.
    Stale(Change),
}

/// Plans the unrated close of an issue as found (locked) when its rating deadline passed — the worker's command,
/// applied as a person's is (`app::issues::command::close_unrated`).
#[must_use]
pub fn of_rating_lapsed(state: &IssueState) -> RatingLapsed {
    match close_unrated(state) {
        Ok(transition) => RatingLapsed::Closes(Plan {
            transition,
            deadlines: vec![Change::End(&[Stage::Rate], Ending::Lapsed)],
            notices: vec![Notice::Closed],
            checkpoint: None,
        }),
        Err(_) => RatingLapsed::Stale(Change::End(&[Stage::Rate], Ending::Cancelled)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::Status;
    use uuid::Uuid;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn a_late_signing_plans_the_reply_deadline_and_counts_itself_late() {
        let agency = Uuid::now_v7();
        let state = IssueState {
            status: Status::Routed,
            lead_agency: Some(agency),
            ..IssueState::reported()
        };
        let handler = Relations {
            lead_handler: true,
            ..Relations::default()
        };
        let open = [(Stage::Sign, at("2026-12-02T00:00:00+08:00"))];
        let found = Situation {
            relations: &handler,
            state: &state,
            reported_at: at("2026-11-30T09:00:00+08:00"),
            routed_at: Some(at("2026-11-30T10:00:00+08:00")),
            open: &open,
        };
        let now = at("2026-12-02T10:00:00+08:00");
        let plan = of(&found, &Command::Sign, Limits::default(), &Calendar::default(), now).expect("accepted");
        assert_eq!(plan.transition.to, Status::Signed);
        assert_eq!(
            plan.deadlines,
            vec![Change::End(&[Stage::Sign], Ending::Met), Change::Open(Stage::Reply)]
        );
        assert!(plan.notices.is_empty(), "signing tells nobody");
        assert!(
            matches!(plan.checkpoint, Some(Checkpoint::Signed { late: true, .. })),
            "{:?}",
            plan.checkpoint
        );
        // The same command from someone without the tie is refused, and nothing is planned.
        let citizen = Relations {
            reporter: true,
            ..Relations::default()
        };
        let found = Situation {
            relations: &citizen,
            ..found
        };
        assert!(of(&found, &Command::Sign, Limits::default(), &Calendar::default(), now).is_err());
    }

    #[test]
    fn a_lapsed_rating_closes_a_replied_issue_and_only_cancels_a_stale_deadline() {
        let replied = IssueState {
            status: Status::Replied,
            ..IssueState::reported()
        };
        let RatingLapsed::Closes(plan) = of_rating_lapsed(&replied) else {
            panic!("a replied issue closes unrated");
        };
        assert_eq!(plan.transition.to, Status::Closed);
        assert_eq!(plan.deadlines, vec![Change::End(&[Stage::Rate], Ending::Lapsed)]);
        assert_eq!(plan.notices, vec![Notice::Closed]);
        assert_eq!(plan.checkpoint, None);
        let reopened = IssueState {
            status: Status::Routed,
            ..replied
        };
        assert_eq!(
            of_rating_lapsed(&reopened),
            RatingLapsed::Stale(Change::End(&[Stage::Rate], Ending::Cancelled))
        );
    }
}
