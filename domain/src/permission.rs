//! Who may see and change what: the organisation model, QR codes, phone numbers, one's own account.
//!
//! Admins act everywhere. Staff act inside their region's subtree: they may create and change stations, agencies and
//! accounts there, and regions strictly below their own (their own region is above their reach). Categories are one list
//! for the whole service: everyone signed in reads them, only admins change them. Other roles administer nothing.

use crate::organisation::region::RegionPath;
use crate::role::Role;
use crate::Denied;
use uuid::Uuid;

/// The signed-in person a command comes from, as the rules need to see them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub role: Role,
    /// The account's region (for staff their jurisdiction; for handlers their agency's region); none for admins and citizens.
    pub region: Option<RegionPath>,
    pub agency: Option<Uuid>,
    pub stations: Vec<Uuid>,
}

/// Where an actor's administration reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminScope {
    Everywhere,
    /// This region and all below it.
    Subtree(RegionPath),
}

impl AdminScope {
    /// The scope of an actor who administers, or `Forbidden` for roles that administer nothing.
    ///
    /// # Errors
    /// `Denied::Forbidden` for deputies, handlers and citizens, and for staff without a region.
    pub fn of(actor: &Actor) -> Result<Self, Denied> {
        match (actor.role, &actor.region) {
            (Role::Admin, _) => Ok(AdminScope::Everywhere),
            (Role::Staff, Some(region)) => Ok(AdminScope::Subtree(region.clone())),
            _ => Err(Denied::Forbidden("administration is for admins and staff")),
        }
    }

    /// The path prefix lists must be limited to, if any.
    #[must_use]
    pub fn path_prefix(&self) -> Option<&str> {
        match self {
            AdminScope::Everywhere => None,
            AdminScope::Subtree(root) => Some(root.as_str()),
        }
    }

    /// May the actor see a thing that lives in `region`? Outside the scope it is hidden, not forbidden.
    ///
    /// # Errors
    /// `Denied::Hidden` outside the scope.
    pub fn may_see(&self, region: &RegionPath) -> Result<(), Denied> {
        match self {
            AdminScope::Everywhere => Ok(()),
            AdminScope::Subtree(root) if root.covers(region) => Ok(()),
            AdminScope::Subtree(_) => Err(Denied::Hidden),
        }
    }

    /// May the actor see an account whose region is `region`? Accounts without a region (admins, citizens) are
    /// visible to admins only.
    ///
    /// # Errors
    /// `Denied::Hidden` outside the scope.
    pub fn may_see_account(&self, region: Option<&RegionPath>) -> Result<(), Denied> {
        match (self, region) {
            (AdminScope::Everywhere, _) => Ok(()),
            (AdminScope::Subtree(_), Some(region)) => self.may_see(region),
            (AdminScope::Subtree(_), None) => Err(Denied::Hidden),
        }
    }

    /// May the actor create or change a station, an agency or an account that lives in `region`?
    ///
    /// # Errors
    /// `Denied::Hidden` outside the scope.
    pub fn may_manage_in(&self, region: &RegionPath) -> Result<(), Denied> {
        self.may_see(region)
    }

    /// May the actor create or change the region at `region`? Staff reach only the regions strictly below their own.
    ///
    /// # Errors
    /// `Denied::Hidden` outside the scope; `Denied::Forbidden` for a staff member's own region.
    pub fn may_manage_region(&self, region: &RegionPath) -> Result<(), Denied> {
        self.may_see(region)?;
        match self {
            AdminScope::Subtree(root) if !root.strictly_covers(region) => {
                Err(Denied::Forbidden("staff change only the regions below their own"))
            }
            _ => Ok(()),
        }
    }

    /// May the actor create a root region (one with no parent)? Only admins.
    ///
    /// # Errors
    /// `Denied::Forbidden` for staff.
    pub fn may_create_root_region(&self) -> Result<(), Denied> {
        match self {
            AdminScope::Everywhere => Ok(()),
            AdminScope::Subtree(_) => Err(Denied::Forbidden("only admins create top-level regions")),
        }
    }

    /// May the actor give an account this role? Staff create staff, deputies and handlers; only admins create admins.
    /// Citizens are never created here: they sign in through WeChat.
    ///
    /// # Errors
    /// `Denied::Forbidden` naming the rule.
    pub fn may_grant(&self, role: Role) -> Result<(), Denied> {
        match (self, role) {
            (_, Role::Citizen) => Err(Denied::Forbidden(
                "citizens sign in through WeChat and are not created here",
            )),
            (AdminScope::Subtree(_), Role::Admin) => Err(Denied::Forbidden("only admins create or change admins")),
            _ => Ok(()),
        }
    }
}

impl AdminScope {
    /// May the actor change an account holding `role`? As for granting it; but a citizen's account is the citizen's
    /// own, so admins may only disable or re-enable it (to stop abuse), and only when that is all the change does.
    ///
    /// # Errors
    /// `Denied::Forbidden` naming the rule.
    pub fn may_change(&self, role: Role, only_enabled: bool) -> Result<(), Denied> {
        match (self, role) {
            (AdminScope::Everywhere, Role::Citizen) if only_enabled => Ok(()),
            (_, Role::Citizen) => Err(Denied::Forbidden(
                "a citizen's account is their own: admins may only disable or re-enable it",
            )),
            _ => self.may_grant(role),
        }
    }

    /// May the actor end every session of an account holding `role`? Whoever may disable the account may sign it out.
    ///
    /// # Errors
    /// `Denied::Forbidden` naming the rule.
    pub fn may_end_sessions(&self, role: Role) -> Result<(), Denied> {
        self.may_change(role, true)
    }
}

/// May the actor disable the account `account`? Nobody disables their own: an administrator who did would lock
/// themselves out with nobody in their region left to undo it.
///
/// # Errors
/// `Denied::Forbidden` for one's own account.
pub fn may_disable(actor: &Actor, account: Uuid) -> Result<(), Denied> {
    if actor.user_id == account {
        Err(Denied::Forbidden(
            "you cannot disable your own account; ask another administrator",
        ))
    } else {
        Ok(())
    }
}

/// May the actor change the list of categories?
///
/// # Errors
/// `Denied::Forbidden` for everyone but admins.
pub fn may_manage_categories(actor: &Actor) -> Result<(), Denied> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Denied::Forbidden("only admins change categories"))
    }
}

/// May the actor upload photos? Those who report (citizens, deputies) and handlers (who show their work).
///
/// # Errors
/// `Denied::Forbidden` for staff and admins.
pub fn may_upload_photo(actor: &Actor) -> Result<(), Denied> {
    match actor.role {
        Role::Citizen | Role::Deputy | Role::Handler => Ok(()),
        Role::Staff | Role::Admin => Err(Denied::Forbidden(
            "photos are uploaded by citizens, deputies and handlers",
        )),
    }
}

/// May the actor report an issue? Citizens and deputies.
///
/// # Errors
/// `Denied::Forbidden` for other roles.
pub fn may_report(actor: &Actor) -> Result<(), Denied> {
    match actor.role {
        Role::Citizen | Role::Deputy => Ok(()),
        _ => Err(Denied::Forbidden("issues are reported by citizens and deputies")),
    }
}

/// May `viewer` see `owner`'s whole phone number? Only the owner and admins; everyone else sees it masked.
#[must_use]
pub fn may_see_phone(viewer: &Actor, owner: Uuid) -> bool {
    viewer.role == Role::Admin || viewer.user_id == owner
}

/// May the actor have the QR code of the station `station` (in `region`) drawn? Admins, staff whose subtree holds it,
/// and the deputies who serve there (to print it for their reception days).
///
/// # Errors
/// `Denied::Hidden` for staff outside the subtree and deputies of other stations; `Denied::Forbidden` for other roles.
pub fn may_draw_station_code(actor: &Actor, station: Uuid, region: &RegionPath) -> Result<(), Denied> {
    match actor.role {
        Role::Admin | Role::Staff => AdminScope::of(actor)?.may_see(region),
        Role::Deputy if actor.stations.contains(&station) => Ok(()),
        Role::Deputy => Err(Denied::Hidden),
        Role::Handler | Role::Citizen => Err(Denied::Forbidden("QR codes are drawn by staff and deputies")),
    }
}

/// May the actor read the suggested topics of a station's reception days (数智化主题接待)? Those who may draw its
/// code: admins, staff whose subtree holds it, and the deputies who serve there.
///
/// # Errors
/// As for `may_draw_station_code`.
pub fn may_plan_reception(actor: &Actor, station: Uuid, region: &RegionPath) -> Result<(), Denied> {
    may_draw_station_code(actor, station, region).map_err(|d| match d {
        Denied::Forbidden(_) => Denied::Forbidden("reception topics are for staff and the station's deputies"),
        hidden @ Denied::Hidden => hidden,
    })
}

/// May the actor have the QR code of the deputy `deputy` (elected in `region`) drawn? Admins, staff whose subtree
/// holds the deputy, and the deputy themself (for their card).
///
/// # Errors
/// `Denied::Hidden` for staff outside the subtree and other deputies; `Denied::Forbidden` for other roles.
pub fn may_draw_deputy_code(actor: &Actor, deputy: Uuid, region: &RegionPath) -> Result<(), Denied> {
    match actor.role {
        Role::Admin | Role::Staff => AdminScope::of(actor)?.may_see(region),
        Role::Deputy if actor.user_id == deputy => Ok(()),
        Role::Deputy => Err(Denied::Hidden),
        Role::Handler | Role::Citizen => Err(Denied::Forbidden("QR codes are drawn by staff and deputies")),
    }
}

/// May the actor erase their own account? Citizens may (PIPL); the accounts of deputies, handlers, staff and admins
/// belong to their organisations and are disabled by an administrator instead.
///
/// # Errors
/// `Denied::Forbidden` for every role but citizen.
pub fn may_erase_self(actor: &Actor) -> Result<(), Denied> {
    citizens_only(
        actor,
        "only citizens erase their own accounts; other accounts are disabled by an administrator",
    )
}

/// What only a citizen does to their own account; anyone else is refused `why`.
fn citizens_only(actor: &Actor, why: &'static str) -> Result<(), Denied> {
    if actor.role == Role::Citizen {
        Ok(())
    } else {
        Err(Denied::Forbidden(why))
    }
}

/// May `actor` bind a phone number to their own account through WeChat (for call-backs, 回访)? Citizens only: every
/// other account's phone is its sign-in name, set by an administrator.
///
/// # Errors
/// `Denied::Forbidden` for every other role.
pub fn may_bind_phone(actor: &Actor) -> Result<(), Denied> {
    citizens_only(
        actor,
        "citizens bind their phone through WeChat; other accounts' phones are set by an administrator",
    )
}

#[cfg(test)]
mod tests;

mod deputies;
mod lists;
mod projects;
mod proposals;
pub use deputies::{
    may_assess, may_follow_deputy, may_keep_deputies, may_rate_deputy, may_read_performance, may_read_scheme,
    may_review_self, may_see_voters, may_write_to_voters, RankingReach,
};
pub use lists::{may_filter_by, DeadlineScope, FilterTarget};
pub use projects::{may_comment_on_project, may_rate_project, ProjectRole, ProjectScope};
pub use proposals::{may_propose, may_run_round, may_support};

/// May the actor replace a year of the working-day calendar? Admins only: the calendar is national.
///
/// # Errors
/// `Denied::Forbidden` for everyone else.
pub fn may_replace_calendar(actor: &Actor) -> Result<(), Denied> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Denied::Forbidden("only admins change the working-day calendar"))
    }
}

/// May the actor see undelivered messages (dead letters) and send them again? Admins, who run the service.
///
/// # Errors
/// `Denied::Forbidden` for everyone else.
pub fn may_see_outbox(actor: &Actor) -> Result<(), Denied> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Denied::Forbidden("only admins see the delivery queue"))
    }
}

/// May the actor record WeChat subscriptions? Citizens: only they receive subscribe messages.
///
/// # Errors
/// `Denied::Forbidden` for other roles.
pub fn may_subscribe(actor: &Actor) -> Result<(), Denied> {
    if actor.role == Role::Citizen {
        Ok(())
    } else {
        Err(Denied::Forbidden("WeChat subscriptions are for citizens"))
    }
}
