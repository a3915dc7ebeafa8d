//! What lists an actor may ask for: whose open deadlines, and which regions, agencies and stations a list's or a
//! statistic's filter may name.

use super::{Actor, Denied, RegionPath, Role};
use uuid::Uuid;

/// Whose open deadlines an actor may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineScope {
    Everywhere,
    /// Staff: issues of this region and below.
    Subtree(RegionPath),
    /// A handler: their agency's deadlines.
    Agency(Uuid),
}

impl DeadlineScope {
    /// # Errors
    /// `Denied::Forbidden` for deputies and citizens (they see deadlines on the issues themselves).
    pub fn of(actor: &Actor) -> Result<Self, Denied> {
        match (actor.role, &actor.region, actor.agency) {
            (Role::Admin, _, _) => Ok(DeadlineScope::Everywhere),
            (Role::Staff, Some(region), _) => Ok(DeadlineScope::Subtree(region.clone())),
            (Role::Handler, _, Some(agency)) => Ok(DeadlineScope::Agency(agency)),
            _ => Err(Denied::Forbidden(
                "deadline lists are for staff and handlers; deadlines show on each issue",
            )),
        }
    }
}

/// What a list or statistics filter names: a region, or an agency or a station with the region it lives in.
#[derive(Debug, Clone, Copy)]
pub enum FilterTarget<'a> {
    Region(&'a RegionPath),
    Agency(Uuid, &'a RegionPath),
    Station(Uuid, &'a RegionPath),
}

/// May the actor name `target` in a filter (`/issues?region=`, `/deadlines?agency=`, statistics)? One rule for every
/// list: a filter outside the caller's reach answers 404, as the thing itself would, rather than an empty list (which
/// would say that it exists and is quiet) or a 403 (which would say that it exists).
///
/// Admins reach everything; staff their subtree; deputies and handlers the branch of the tree through their region
/// (above it, where the city's agencies sit, and below it), deputies only their own stations and handlers only their
/// own agency; citizens see only their own issues, which any filter merely narrows.
///
/// # Errors
/// `Denied::Hidden` outside the reach.
pub fn may_filter_by(actor: &Actor, target: FilterTarget<'_>) -> Result<(), Denied> {
    let on_branch = |region: &RegionPath| {
        actor
            .region
            .as_ref()
            .is_some_and(|own| own.covers(region) || region.covers(own))
    };
    let allowed = match (actor.role, target) {
        (Role::Admin | Role::Citizen, _) => true,
        (Role::Staff, FilterTarget::Region(r) | FilterTarget::Agency(_, r) | FilterTarget::Station(_, r)) => {
            actor.region.as_ref().is_some_and(|own| own.covers(r))
        }
        (Role::Deputy, FilterTarget::Station(id, _)) => actor.stations.contains(&id),
        (Role::Handler, FilterTarget::Agency(id, _)) => actor.agency == Some(id),
        (
            Role::Deputy | Role::Handler,
            FilterTarget::Region(r) | FilterTarget::Agency(_, r) | FilterTarget::Station(_, r),
        ) => on_branch(r),
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Hidden)
    }
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
