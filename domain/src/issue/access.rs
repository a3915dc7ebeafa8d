//! Who stands where toward an issue, and therefore what they may see: staff of the issue's region subtree, the deputies
//! of its station (or the deputy whose card was scanned), its reporter, the handlers of the agencies it was routed to.
//! Anyone else is answered as if the issue did not exist.

use crate::organisation::region::RegionPath;
use crate::permission::Actor;
use crate::role::Role;
use crate::Denied;
use uuid::Uuid;

/// The people and bodies an issue is tied to, as stored.
#[derive(Debug, Clone)]
pub struct Parties {
    pub region: RegionPath,
    pub station: Option<Uuid>,
    /// The deputy a citizen reported to by scanning the deputy's card.
    pub deputy: Option<Uuid>,
    pub reporter: Uuid,
    pub lead_agency: Option<Uuid>,
    pub co_agencies: Vec<Uuid>,
    /// Every agency the issue was ever routed to (a handler keeps reading what their agency once held).
    pub past_agencies: Vec<Uuid>,
    pub cosigners: Vec<Uuid>,
    /// Citizens who joined the issue (我也遇到) instead of reporting the same problem again.
    pub joiners: Vec<Uuid>,
    /// Who has rated the current round's reply.
    pub raters: Vec<Uuid>,
}

/// How one actor stands toward one issue. Built only by [`Relations::of`], so the rules read facts, not guesses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct Relations {
    pub admin: bool,
    /// Staff whose region covers the issue's region.
    pub staff: bool,
    /// A deputy of the issue's station, or the deputy it was reported to.
    pub station_deputy: bool,
    pub reporter: bool,
    pub lead_handler: bool,
    pub co_handler: bool,
    pub past_handler: bool,
    pub cosigner: bool,
    /// A citizen who joined the issue (我也遇到).
    pub joiner: bool,
    pub rated: bool,
    pub role: Option<Role>,
}

impl Relations {
    /// Urges, key supervision, site visits and follow-ups: the deputies tied to the issue and staff over it.
    #[must_use]
    pub fn supervises(&self) -> bool {
        self.triages() || self.station_deputy || (self.cosigner && self.is_deputy())
    }

    #[must_use]
    pub fn of(actor: &Actor, parties: &Parties) -> Self {
        let role = actor.role;
        let agency = if role == Role::Handler { actor.agency } else { None };
        let on = |a: Option<Uuid>| agency.is_some() && a == agency;
        Relations {
            admin: role == Role::Admin,
            staff: role == Role::Staff && actor.region.as_ref().is_some_and(|r| r.covers(&parties.region)),
            station_deputy: role == Role::Deputy
                && (parties.station.is_some_and(|s| actor.stations.contains(&s))
                    || parties.deputy == Some(actor.user_id)),
            reporter: parties.reporter == actor.user_id,
            lead_handler: on(parties.lead_agency),
            co_handler: parties.co_agencies.iter().any(|a| on(Some(*a))),
            past_handler: parties.past_agencies.iter().any(|a| on(Some(*a))),
            cosigner: parties.cosigners.contains(&actor.user_id),
            joiner: parties.joiners.contains(&actor.user_id),
            rated: parties.raters.contains(&actor.user_id),
            role: Some(role),
        }
    }

    /// Does the actor see the issue at all?
    #[must_use]
    pub fn sees(&self) -> bool {
        self.admin
            || self.staff
            || self.station_deputy
            || self.reporter
            || self.lead_handler
            || self.co_handler
            || self.past_handler
            || self.cosigner
            || self.joiner
    }

    /// Does the actor stand behind the issue only as one who joined it? They read it as the public does: the words
    /// masked and the reporter unnamed, since they are strangers to the reporter.
    #[must_use]
    pub fn only_joined(&self) -> bool {
        self.joiner && !self.reporter && !self.admin && !self.staff && !self.station_deputy && !self.cosigner
    }

    /// # Errors
    /// `Denied::Hidden` when the actor has no tie to the issue.
    pub fn may_see(&self) -> Result<(), Denied> {
        if self.sees() {
            Ok(())
        } else {
            Err(Denied::Hidden)
        }
    }

    /// Staff and admins: triage, routing, extension decisions.
    #[must_use]
    pub fn triages(&self) -> bool {
        self.admin || self.staff
    }

    #[must_use]
    pub fn is_deputy(&self) -> bool {
        self.role == Some(Role::Deputy)
    }

    #[must_use]
    pub fn is_citizen(&self) -> bool {
        self.role == Some(Role::Citizen)
    }

    /// Citizens are strangers to each other: the reporter and those who joined an issue read one another's acts
    /// unnamed.
    #[must_use]
    pub fn sees_other_citizens(&self) -> bool {
        !self.is_citizen()
    }

    /// Internal comments are for the people who work the issue, never for citizens.
    #[must_use]
    pub fn sees_internal(&self) -> bool {
        !self.is_citizen()
    }

    /// Handlers never learn who reported an issue whose reporter asked for anonymity, and those who only joined it
    /// never learn who reported it; everyone else who sees the issue does.
    #[must_use]
    pub fn sees_reporter(&self, anonymous: bool) -> bool {
        !(self.only_joined() || (anonymous && self.role == Some(Role::Handler)))
    }
}

/// May an issue in `issue` be routed to an agency of `agency`? An agency serves its own region and everything below
/// it, so it may take issues from its region's subtree, and an issue may go down to an agency inside its own region
/// (a county issue to a township office). Never sideways, to another county's agency.
///
/// # Errors
/// `Invalid` on `field` for an agency outside that line.
pub fn may_route_to(issue: &RegionPath, agency: &RegionPath, field: &str) -> Result<(), crate::Invalid> {
    if agency.covers(issue) || issue.covers(agency) {
        Ok(())
    } else {
        Err(crate::Invalid::new(
            field,
            "agency_out_of_reach",
            "this agency serves another region; choose one that serves the issue's region",
        ))
    }
}

/// Which issues a list may show the actor: the same ties as [`Relations::sees`], as a filter a query can apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueScope {
    Everywhere,
    /// Staff: the issues of this region and below.
    Subtree(RegionPath),
    /// A deputy: their stations' issues, those reported to them, by them, or co-signed by them.
    Deputy {
        user: Uuid,
        stations: Vec<Uuid>,
    },
    /// A handler: what was ever routed to their agency.
    Agency(Uuid),
    /// A citizen: their own reports and the issues they joined (我也遇到).
    Reporter(Uuid),
}

impl IssueScope {
    /// # Errors
    /// `Denied::Forbidden` for staff without a region or handlers without an agency (accounts the binding rules forbid).
    pub fn of(actor: &Actor) -> Result<Self, Denied> {
        match actor.role {
            Role::Admin => Ok(IssueScope::Everywhere),
            Role::Staff => actor
                .region
                .clone()
                .map(IssueScope::Subtree)
                .ok_or(Denied::Forbidden("this staff account has no region")),
            Role::Deputy => Ok(IssueScope::Deputy {
                user: actor.user_id,
                stations: actor.stations.clone(),
            }),
            Role::Handler => actor
                .agency
                .map(IssueScope::Agency)
                .ok_or(Denied::Forbidden("this handler account has no agency")),
            Role::Citizen => Ok(IssueScope::Reporter(actor.user_id)),
        }
    }

    /// Whose reporters a search may find issues by (their name, or digits of their phone): those the issue's page
    /// shows the searcher (`Relations::sees_reporter`), so that a search tells nobody who reported what they could not
    /// read. Staff, admins and deputies every reporter; handlers those who did not ask for anonymity; citizens none
    /// (the other reporters of the issues they joined are strangers to them).
    #[must_use]
    pub fn reporters_searched(&self) -> ReporterSearch {
        match self {
            IssueScope::Everywhere | IssueScope::Subtree(_) | IssueScope::Deputy { .. } => ReporterSearch::Any,
            IssueScope::Agency(_) => ReporterSearch::NotAnonymous,
            IssueScope::Reporter(_) => ReporterSearch::None,
        }
    }
}

/// Which reporters a text search matches by name or phone ([`IssueScope::reporters_searched`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReporterSearch {
    #[default]
    None,
    NotAnonymous,
    Any,
}

/// Which open issues near a point an actor is shown: deputies and staff those of their scope, as duplicate hints
/// for triage; citizens every issue they could join, anywhere (masked), so that they join one instead of reporting
/// the same problem again (我也遇到).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NearbyFor {
    Triage(IssueScope),
    Joining,
}

impl NearbyFor {
    /// # Errors
    /// `Denied::Forbidden` for handlers, and as [`IssueScope::of`].
    pub fn of(actor: &Actor) -> Result<Self, Denied> {
        match actor.role {
            Role::Citizen => Ok(NearbyFor::Joining),
            Role::Handler => Err(Denied::Forbidden(
                "nearby issues are for deputies and staff (duplicate hints) and citizens (to join one)",
            )),
            Role::Deputy | Role::Staff | Role::Admin => IssueScope::of(actor).map(NearbyFor::Triage),
        }
    }

    /// Are the issues shown as the public results show them (reporter unnamed, numbers masked)?
    #[must_use]
    pub fn masked(&self) -> bool {
        *self == NearbyFor::Joining
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::organisation::region::path_of as path;

    fn actor(role: Role, region: Option<RegionPath>, agency: Option<Uuid>, stations: Vec<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::now_v7(),
            role,
            region,
            agency,
            stations,
        }
    }

    #[test]
    fn only_the_tied_see_an_issue() {
        let station = Uuid::now_v7();
        let water = Uuid::now_v7();
        let parties = Parties {
            region: path(&["33", "3302", "330281", "330281001"]),
            station: Some(station),
            deputy: None,
            reporter: Uuid::now_v7(),
            lead_agency: Some(water),
            co_agencies: vec![],
            past_agencies: vec![water],
            cosigners: vec![],
            joiners: vec![],
            raters: vec![],
        };
        let yuyao_staff = actor(Role::Staff, Some(path(&["33", "3302", "330281"])), None, vec![]);
        let beilun_staff = actor(Role::Staff, Some(path(&["33", "3302", "330206"])), None, vec![]);
        let deputy = actor(Role::Deputy, Some(path(&["33", "3302", "330281"])), None, vec![station]);
        let other_deputy = actor(Role::Deputy, Some(path(&["33", "3302", "330281"])), None, vec![]);
        let handler = actor(
            Role::Handler,
            Some(path(&["33", "3302", "330281"])),
            Some(water),
            vec![],
        );
        let other_handler = actor(
            Role::Handler,
            Some(path(&["33", "3302", "330281"])),
            Some(Uuid::now_v7()),
            vec![],
        );
        let citizen = actor(Role::Citizen, None, None, vec![]);
        assert!(Relations::of(&yuyao_staff, &parties).sees());
        assert!(Relations::of(&deputy, &parties).sees());
        assert!(Relations::of(&handler, &parties).lead_handler);
        for stranger in [&beilun_staff, &other_deputy, &other_handler, &citizen] {
            assert_eq!(Relations::of(stranger, &parties).may_see(), Err(Denied::Hidden));
        }
    }
}
