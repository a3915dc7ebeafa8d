//! The issue state machine: every command, the states it may start from, who may give it, and the state it leaves.
//!
//! `decide` is the one place a command is judged. It answers the next state, or why not: hidden (the actor has no tie
//! to the issue), forbidden (the actor's tie does not allow this command), or the wrong state (with the commands the
//! actor could give now). `allowed_actions` answers the same question for every action, so what the API offers and
//! what it accepts cannot drift apart.

use super::access::Relations;
use super::status::{Rating, ReplyCategory, Status};
use crate::Denied;
mod command;
pub use command::{Action, Command};

use uuid::Uuid;

/// What the rules remember of an issue between commands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct IssueState {
    pub status: Status,
    pub lead_agency: Option<Uuid>,
    pub co_agencies: Vec<Uuid>,
    /// Handling round: 1 for the first, one more for each reopen.
    pub round: u16,
    /// The current round's reply, once given.
    pub reply: Option<ReplyCategory>,
    pub pending_extension: bool,
    /// One extension request per round, granted or not.
    pub extension_used: bool,
    /// Converted into a formal deputy suggestion (转为代表建议).
    pub converted: bool,
    pub merged_into: Option<Uuid>,
    /// Under key supervision (挂牌督办).
    pub key_supervision: bool,
    /// Withheld from the public results by staff.
    pub withheld: bool,
}

impl IssueState {
    /// A report just made.
    #[must_use]
    pub fn reported() -> Self {
        IssueState {
            status: Status::Submitted,
            lead_agency: None,
            co_agencies: Vec::new(),
            round: 1,
            reply: None,
            pending_extension: false,
            extension_used: false,
            converted: false,
            merged_into: None,
            key_supervision: false,
            withheld: false,
        }
    }

    /// The facts that must hold together in every reachable state; the property tests drive the machine against it.
    ///
    /// # Errors
    /// A sentence naming the broken fact.
    pub fn check(&self, limits: Limits) -> Result<(), String> {
        let s = self.status;
        if s.with_agency() || s == Status::Replied {
            if self.lead_agency.is_none() {
                return Err(format!("{s} without a lead agency"));
            }
        } else if matches!(s, Status::Submitted | Status::Accepted | Status::Reopened) && self.lead_agency.is_some() {
            return Err(format!("{s} still holds a lead agency"));
        }
        if self.lead_agency.is_some_and(|l| self.co_agencies.contains(&l)) {
            return Err("the lead agency is also a co-agency".into());
        }
        if (s == Status::Replied) != self.reply.is_some() && s != Status::Closed {
            return Err(format!("{s} with reply {:?}", self.reply));
        }
        if self.pending_extension && !matches!(s, Status::Signed | Status::InProgress) {
            return Err(format!("an extension pending while {s}"));
        }
        if self.pending_extension && !self.extension_used {
            return Err("a pending extension not counted as used".into());
        }
        if (s == Status::Merged) != self.merged_into.is_some() {
            return Err(format!("{s} with merged_into {:?}", self.merged_into));
        }
        if self.round == 0 || self.round > limits.max_rounds {
            return Err(format!("round {} outside 1..={}", self.round, limits.max_rounds));
        }
        if self.converted && matches!(s, Status::Submitted | Status::Declined | Status::Merged) {
            return Err(format!("converted while {s}"));
        }
        Ok(())
    }
}

/// Configured bounds of the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How many handling rounds an issue may have (the first plus reopens).
    pub max_rounds: u16,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_rounds: 3 }
    }
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Denied(Denied),
    /// The actor may give this command, but not in this state: here is what they may do now.
    WrongState {
        status: Status,
        allowed: Vec<Action>,
    },
}

impl From<Denied> for Refusal {
    fn from(d: Denied) -> Self {
        Refusal::Denied(d)
    }
}

/// An accepted command: the state before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Status,
    pub to: Status,
    pub state: IssueState,
}

/// Who may give an action, by their tie to the issue (whatever the state). `Err` says why not.
fn permits(r: &Relations, action: Action) -> Result<(), &'static str> {
    let ok = match action {
        Action::Accept | Action::Decline | Action::Merge | Action::Reopen => r.triages() || r.station_deputy,
        Action::Route | Action::DecideExtension | Action::Withhold | Action::Publish => r.triages(),
        Action::Cosign => r.is_deputy() && !r.reporter,
        Action::Join => r.is_citizen() && !r.reporter,
        Action::Sign | Action::SendBack | Action::RequestExtension | Action::Reply => r.lead_handler,
        Action::Progress => r.lead_handler || r.co_handler,
        Action::Rate => r.reporter || r.station_deputy || r.cosigner || r.joiner,
        Action::Convert => r.is_deputy() && (r.station_deputy || r.reporter || r.cosigner),
        Action::Comment => true,
        Action::Urge | Action::KeySupervision | Action::SiteVisit | Action::FollowUp => r.supervises(),
    };
    if ok {
        return Ok(());
    }
    Err(match action {
        Action::Accept | Action::Decline | Action::Merge | Action::Reopen => {
            "only staff of the issue's region and the deputies of its station decide this"
        }
        Action::Route | Action::DecideExtension | Action::Withhold | Action::Publish => {
            "only staff of the issue's region decide this"
        }
        Action::Cosign => "only deputies co-sign, and not their own reports",
        Action::Join => "only citizens join an issue, and not their own reports",
        Action::Sign | Action::SendBack | Action::RequestExtension | Action::Reply => {
            "only a handler of the lead agency does this"
        }
        Action::Progress => "only handlers of the agencies the issue is routed to post progress",
        Action::Rate => "only the reporter, those who joined and the deputies involved rate the reply",
        Action::Convert => "only the deputies involved convert an issue into a suggestion",
        Action::Comment => "",
        Action::Urge | Action::KeySupervision | Action::SiteVisit | Action::FollowUp => {
            "only the deputies involved and staff of the issue's region supervise"
        }
    })
}

/// May the action be given now, in this state, by this actor (as far as their own past acts go)?
fn enabled(r: &Relations, s: &IssueState, action: Action, limits: Limits) -> bool {
    use Status as S;
    match action {
        Action::Accept => s.status == S::Submitted,
        // A converted issue is a formal suggestion now: it is no longer declined or folded into another.
        Action::Decline | Action::Merge => matches!(s.status, S::Submitted | S::Accepted) && !s.converted,
        Action::Cosign => !s.status.is_end() && !r.cosigner,
        // Standing behind an issue makes sense while it is still being worked on.
        Action::Join => !s.status.is_end() && s.status != S::Replied && !r.joiner,
        Action::Route => matches!(s.status, S::Accepted | S::Reopened),
        Action::Sign | Action::SendBack => s.status == S::Routed,
        Action::Progress | Action::Reply => matches!(s.status, S::Signed | S::InProgress),
        Action::RequestExtension => matches!(s.status, S::Signed | S::InProgress) && !s.extension_used,
        Action::DecideExtension => s.pending_extension,
        Action::Rate => s.status == S::Replied && !r.rated,
        Action::Reopen => {
            (s.status == S::Replied || (s.status == S::Closed && s.lead_agency.is_some()))
                && s.round < limits.max_rounds
        }
        Action::Convert => !matches!(s.status, S::Submitted | S::Declined | S::Merged) && !s.converted,
        Action::Comment => true,
        // Pressing an agency makes sense while it holds the issue.
        Action::Urge => s.status.with_agency(),
        Action::KeySupervision => !s.status.is_end() && !s.key_supervision,
        Action::SiteVisit => s.status.with_agency() || s.status == S::Replied,
        Action::FollowUp => s.status == S::Closed && s.lead_agency.is_some(),
        // Declined and merged issues are never published, so there is nothing to withhold.
        Action::Withhold => !s.withheld && !matches!(s.status, S::Declined | S::Merged),
        Action::Publish => s.withheld && !matches!(s.status, S::Declined | S::Merged),
    }
}

/// The statuses in which `action` applies as far as the status decides (the issue's other facts as a report just
/// routed has them): what a list of the work waiting for that action selects.
#[must_use]
pub fn statuses_for(action: Action) -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(|&status| {
            let s = IssueState {
                status,
                lead_agency: Some(Uuid::nil()),
                ..IssueState::reported()
            };
            enabled(&Relations::default(), &s, action, Limits::default())
        })
        .collect()
}

/// Every action the actor could give now.
#[must_use]
pub fn allowed_actions(r: &Relations, s: &IssueState, limits: Limits) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| r.may_find(*a).is_ok() && permits(r, *a).is_ok() && enabled(r, s, *a, limits))
        .collect()
}

/// Judges a command.
///
/// # Errors
/// `Refusal::Denied(Hidden)` when the actor has no tie to the issue, `Denied(Forbidden)` when their tie does not allow
/// the command, `WrongState` when the issue is not where the command applies.
pub fn decide(r: &Relations, s: &IssueState, command: &Command, limits: Limits) -> Result<Transition, Refusal> {
    let action = command.action();
    r.may_find(action)?;
    permits(r, action).map_err(|why| Refusal::Denied(Denied::Forbidden(why)))?;
    if let Command::Comment { internal: true, .. } = command {
        if !r.sees_internal() {
            return Err(Denied::Forbidden("citizens write public comments only").into());
        }
    }
    if !enabled(r, s, action, limits) {
        return Err(Refusal::WrongState {
            status: s.status,
            allowed: allowed_actions(r, s, limits),
        });
    }
    let mut next = s.clone();
    match command {
        Command::Accept { .. } => next.status = Status::Accepted,
        Command::Decline => next.status = Status::Declined,
        Command::Merge { into } => {
            next.status = Status::Merged;
            next.merged_into = Some(*into);
        }
        Command::Route { lead, co, .. } => {
            next.status = Status::Routed;
            next.lead_agency = Some(*lead);
            next.co_agencies = co.iter().copied().filter(|a| a != lead).collect();
            // Sorted so that every repeat is removed, not only neighbours.
            next.co_agencies.sort_unstable();
            next.co_agencies.dedup();
        }
        Command::Sign => next.status = Status::Signed,
        Command::SendBack => {
            next.status = Status::Accepted;
            next.lead_agency = None;
            next.co_agencies.clear();
        }
        Command::Progress { .. } => next.status = Status::InProgress,
        Command::RequestExtension { .. } => {
            next.pending_extension = true;
            next.extension_used = true;
        }
        Command::DecideExtension { .. } => next.pending_extension = false,
        Command::Reply { category } => {
            next.status = Status::Replied;
            next.reply = Some(*category);
            // A reply answers the issue; an extension still waiting for a decision no longer matters.
            next.pending_extension = false;
        }
        Command::Rate { rating, .. } if r.reporter => {
            next.status = if *rating == Rating::Dissatisfied && s.round < limits.max_rounds {
                reopen(&mut next);
                Status::Reopened
            } else {
                Status::Closed
            };
        }
        Command::Reopen => {
            reopen(&mut next);
            next.status = Status::Reopened;
        }
        Command::Convert => next.converted = true,
        Command::KeySupervision => next.key_supervision = true,
        Command::Withhold { .. } => next.withheld = true,
        Command::Publish => next.withheld = false,
        Command::FollowUp { came_back: true } if s.round < limits.max_rounds => {
            reopen(&mut next);
            next.status = Status::Reopened;
        }
        Command::Cosign
        | Command::Join
        | Command::Rate { .. }
        | Command::Comment { .. }
        | Command::Urge
        | Command::SiteVisit { .. }
        | Command::FollowUp { .. } => {}
    }
    Ok(Transition {
        from: s.status,
        to: next.status,
        state: next,
    })
}

/// A new round: the agencies are chosen again, the reply and the extension allowance start afresh.
fn reopen(s: &mut IssueState) {
    s.round += 1;
    s.lead_agency = None;
    s.co_agencies.clear();
    s.reply = None;
    s.extension_used = false;
    s.pending_extension = false;
}

/// Closes a replied issue nobody rated in time (the worker's command, not a person's).
///
/// # Errors
/// `WrongState` unless the issue is replied.
pub fn close_unrated(s: &IssueState) -> Result<Transition, Refusal> {
    if s.status != Status::Replied {
        return Err(Refusal::WrongState {
            status: s.status,
            allowed: Vec::new(),
        });
    }
    let mut next = s.clone();
    next.status = Status::Closed;
    Ok(Transition {
        from: s.status,
        to: next.status,
        state: next,
    })
}

// Who may reach an issue for a command is a question of the commands, asked of the actor's relations to it: it lives
// with the commands, so that the relations (`access`) know nothing of them.
impl Relations {
    /// May the actor reach the issue for `action`? Whoever sees it; and any citizen, to join it: the open issues
    /// near a report are shown to citizens (masked) so that they can join one instead of reporting it again, and
    /// joining is what ties them to it.
    ///
    /// # Errors
    /// `Denied::Hidden` otherwise, as for [`Relations::may_see`].
    pub fn may_find(&self, action: Action) -> Result<(), Denied> {
        if action == Action::Join && self.is_citizen() {
            return Ok(());
        }
        self.may_see()
    }
}

#[cfg(test)]
mod tests;
