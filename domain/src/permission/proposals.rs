//! 点单: who proposes, who supports, and who sorts what a round gathered.

use super::{Actor, AdminScope, Denied, RegionPath, Role};
use uuid::Uuid;

/// May the actor propose in a round? Citizens, and deputies (who bring what their voters and stations hear).
///
/// # Errors
/// `Denied::Forbidden` for staff, handlers and admins, who sort proposals rather than make them.
pub fn may_propose(actor: &Actor) -> Result<(), Denied> {
    match actor.role {
        Role::Citizen | Role::Deputy => Ok(()),
        _ => Err(Denied::Forbidden(
            "citizens and deputies propose; staff sort what they propose",
        )),
    }
}

/// May the actor support (附议) the proposal `author` made? Those who may propose, but not their own.
///
/// # Errors
/// As `may_propose`; `Denied::Forbidden` for one's own proposal.
pub fn may_support(actor: &Actor, author: Uuid) -> Result<(), Denied> {
    may_propose(actor)?;
    if actor.user_id == author {
        return Err(Denied::Forbidden("a proposal is not supported by its own proposer"));
    }
    Ok(())
}

/// May the actor open a round in `region`, or decide what becomes of its proposals? Staff whose subtree holds it, and
/// admins.
///
/// # Errors
/// `Denied::Hidden` for staff elsewhere; `Denied::Forbidden` for other roles.
pub fn may_run_round(actor: &Actor, region: &RegionPath) -> Result<(), Denied> {
    AdminScope::of(actor)?.may_manage_in(region)
}
