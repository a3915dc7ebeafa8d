//! Who may see and change what: the organisation model, QR codes, phone numbers, one's own account.
//!
//! Admins act everywhere. Staff act inside their region's subtree: they may create and change stations, agencies and
//! accounts there, and regions strictly below their own (their own region is above their reach). Categories are one list
//! for the whole service: everyone signed in reads them, only admins change them. Other roles administer nothing.

use crate::organisation::region::RegionPath;
use crate::role::Role;
use crate::Denied;
use chrono::{DateTime, Duration, Utc};
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

/// How an actor stands to an elected livelihood project of `region` whose responsible agency is `agency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectRole {
    /// Admins, and staff whose subtree holds the project.
    Staff,
    /// The responsible agency's handlers: they report progress.
    Agency,
    /// Deputies elected in the project's region, above it or below it: they inspect.
    Deputy,
}

impl ProjectRole {
    /// # Errors
    /// `Denied::Hidden` for staff, handlers and deputies elsewhere; `Denied::Forbidden` for citizens, who follow
    /// projects on their public pages.
    pub fn of(actor: &Actor, region: &RegionPath, agency: Uuid) -> Result<Self, Denied> {
        match actor.role {
            Role::Admin | Role::Staff => AdminScope::of(actor)?.may_see(region).map(|()| ProjectRole::Staff),
            Role::Handler if actor.agency == Some(agency) => Ok(ProjectRole::Agency),
            Role::Deputy
                if actor
                    .region
                    .as_ref()
                    .is_some_and(|own| own.covers(region) || region.covers(own)) =>
            {
                Ok(ProjectRole::Deputy)
            }
            Role::Handler | Role::Deputy => Err(Denied::Hidden),
            Role::Citizen => Err(Denied::Forbidden(
                "citizens follow livelihood projects on their public pages",
            )),
        }
    }

    /// Progress reports come from the responsible agency.
    ///
    /// # Errors
    /// `Denied::Forbidden` for staff and deputies.
    pub fn may_report_progress(self) -> Result<(), Denied> {
        match self {
            ProjectRole::Agency => Ok(()),
            _ => Err(Denied::Forbidden(
                "progress is reported by the responsible agency's handlers",
            )),
        }
    }

    /// Comments the content check could not judge are released or removed by staff.
    ///
    /// # Errors
    /// `Denied::Forbidden` for the agency's handlers and deputies.
    pub fn may_review_comments(self) -> Result<(), Denied> {
        match self {
            ProjectRole::Staff => Ok(()),
            _ => Err(Denied::Forbidden("held comments are reviewed by staff")),
        }
    }

    /// Inspections (视察) are recorded by deputies and staff.
    ///
    /// # Errors
    /// `Denied::Forbidden` for the agency's handlers.
    pub fn may_inspect(self) -> Result<(), Denied> {
        match self {
            ProjectRole::Staff | ProjectRole::Deputy => Ok(()),
            ProjectRole::Agency => Err(Denied::Forbidden("inspections are recorded by deputies and staff")),
        }
    }
}

/// Which elected projects an actor's lists hold: the reach `ProjectRole::of` grants for one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectScope {
    /// Admins everywhere, staff their subtree.
    Administered(AdminScope),
    /// A handler: their agency's projects.
    Agency(Uuid),
    /// A deputy: projects of their region, the regions above it and those below it.
    Branch(RegionPath),
}

impl ProjectScope {
    /// # Errors
    /// `Denied::Forbidden` for citizens (who read the public ranking) and for accounts missing their binding.
    pub fn of(actor: &Actor) -> Result<Self, Denied> {
        match actor.role {
            Role::Admin | Role::Staff => AdminScope::of(actor).map(ProjectScope::Administered),
            Role::Handler => actor
                .agency
                .map(ProjectScope::Agency)
                .ok_or(Denied::Forbidden("this handler account has no agency")),
            Role::Deputy => actor
                .region
                .clone()
                .map(ProjectScope::Branch)
                .ok_or(Denied::Forbidden("this deputy account has no region")),
            Role::Citizen => Err(Denied::Forbidden(
                "citizens read the public ranking at /public/projects",
            )),
        }
    }
}

/// May the actor comment on an elected project? Citizens: the organisation speaks through progress reports and
/// inspections. A comment is speech, not a count: any citizen may comment (WeChat's content check and the write limit
/// apply); stars are counted, so they need more (`may_rate_project`).
///
/// # Errors
/// `Denied::Forbidden` for every other role.
pub fn may_comment_on_project(actor: &Actor) -> Result<(), Denied> {
    if actor.role == Role::Citizen {
        Ok(())
    } else {
        Err(Denied::Forbidden("comments and stars on a project are the citizens'"))
    }
}

/// May the actor give an elected project stars (星级评价)? Citizens who scanned the project's own QR code (码上监督,
/// posted at the site): the stars rank projects in public, so they come from people who went to see, not from anyone
/// with the project's id.
///
/// # Errors
/// `Denied::Forbidden` for every other role, and for citizens who never scanned the project's code.
pub fn may_rate_project(actor: &Actor, scanned: bool) -> Result<(), Denied> {
    may_comment_on_project(actor)?;
    if scanned {
        Ok(())
    } else {
        Err(Denied::Forbidden(
            "stars are given by scanning the QR code at the project's site",
        ))
    }
}

/// May the actor read the performance scheme in force in `region`? Admins, staff whose subtree holds it, and deputies
/// elected there or below (whom it scores).
///
/// # Errors
/// `Denied::Hidden` for staff and deputies elsewhere; `Denied::Forbidden` for handlers and citizens.
pub fn may_read_scheme(actor: &Actor, region: &RegionPath) -> Result<(), Denied> {
    match actor.role {
        Role::Admin | Role::Staff => AdminScope::of(actor)?.may_see(region),
        Role::Deputy if actor.region.as_ref().is_some_and(|own| region.covers(own)) => Ok(()),
        Role::Deputy => Err(Denied::Hidden),
        Role::Handler | Role::Citizen => Err(Denied::Forbidden("performance schemes are for staff and deputies")),
    }
}

/// May the actor read the performance of the deputy `deputy` (elected in `region`)? The deputy, admins, and staff
/// whose subtree holds the deputy; for everyone else the deputy's performance does not exist.
///
/// # Errors
/// `Denied::Hidden` for everyone else.
pub fn may_read_performance(actor: &Actor, deputy: Uuid, region: &RegionPath) -> Result<(), Denied> {
    match actor.role {
        Role::Deputy if actor.user_id == deputy => Ok(()),
        Role::Admin | Role::Staff => AdminScope::of(actor)?.may_see(region),
        _ => Err(Denied::Hidden),
    }
}

/// Which ranking of deputies an actor may read: staff and admins the deputies in their reach; a deputy their own place
/// among the deputies of their region — never the others' points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RankingReach {
    All(AdminScope),
    Own { deputy: Uuid, among: RegionPath },
}

impl RankingReach {
    /// # Errors
    /// `Denied::Forbidden` for handlers, citizens, and staff or deputies without a region.
    pub fn of(actor: &Actor) -> Result<Self, Denied> {
        match (actor.role, &actor.region) {
            (Role::Deputy, Some(region)) => Ok(RankingReach::Own {
                deputy: actor.user_id,
                among: region.clone(),
            }),
            (Role::Deputy, None) => Err(Denied::Forbidden("a deputy without a region has no ranking")),
            _ => Ok(RankingReach::All(AdminScope::of(actor)?)),
        }
    }

    /// This reach asked for a region of the caller's choosing: staff and admins choose within their scope; a
    /// deputy's region is their own, not theirs to choose.
    ///
    /// # Errors
    /// `Denied::Forbidden` for a deputy.
    pub fn naming_region(self) -> Result<Self, Denied> {
        match self {
            RankingReach::Own { .. } => Err(Denied::Forbidden(
                "a deputy sees their own place among their region's deputies; the region is not theirs to choose",
            )),
            all @ RankingReach::All(_) => Ok(all),
        }
    }
}

/// May the actor see the voters who follow `deputy`? As for their performance: the deputy and staff over them.
///
/// # Errors
/// `Denied::Hidden` for everyone else.
pub fn may_see_voters(actor: &Actor, deputy: Uuid, region: &RegionPath) -> Result<(), Denied> {
    may_read_performance(actor, deputy, region)
}

/// May the actor assess the deputy (enter points, give the group assessment)? Admins and staff whose subtree holds
/// the deputy; the deputy reads, never writes, their own.
///
/// # Errors
/// `Denied::Forbidden` for the deputy themself; `Denied::Hidden` for everyone else.
pub fn may_assess(actor: &Actor, deputy: Uuid, region: &RegionPath) -> Result<(), Denied> {
    match actor.role {
        Role::Admin | Role::Staff => AdminScope::of(actor)?.may_see(region),
        Role::Deputy if actor.user_id == deputy => Err(Denied::Forbidden(
            "a deputy writes their self-review; points and the group assessment are staff's",
        )),
        _ => Err(Denied::Hidden),
    }
}

/// May the actor write this deputy's self-review? Only the deputy.
///
/// # Errors
/// `Denied::Hidden` for everyone else.
pub fn may_review_self(actor: &Actor, deputy: Uuid) -> Result<(), Denied> {
    if actor.role == Role::Deputy && actor.user_id == deputy {
        Ok(())
    } else {
        Err(Denied::Hidden)
    }
}

/// Is the actor a citizen, who may follow deputies and list or drop those they follow? Accounts of the organisation
/// are linked to deputies by staff.
///
/// # Errors
/// `Denied::Forbidden` for every other role.
pub fn may_keep_deputies(actor: &Actor) -> Result<(), Denied> {
    if actor.role == Role::Citizen {
        Ok(())
    } else {
        Err(Denied::Forbidden(
            "citizens follow deputies; accounts of the organisation are linked by staff",
        ))
    }
}

/// May the actor follow a deputy? Citizens who scanned that deputy's card: being one of a deputy's voters (每名代表联系
/// 选民) is a link made in person, not something anyone with the deputy's id can claim.
///
/// # Errors
/// `Denied::Forbidden` for every other role, and for citizens who never scanned the deputy's card.
pub fn may_follow_deputy(actor: &Actor, scanned_card: bool) -> Result<(), Denied> {
    may_keep_deputies(actor)?;
    if scanned_card {
        Ok(())
    } else {
        Err(Denied::Forbidden(
            "follow a deputy by scanning the QR code on their card",
        ))
    }
}

/// May the actor rate a deputy as their voter (三维联评's voters' part)? Citizens who scanned the deputy's card and
/// have followed them for at least `min_follow` by `now`: a rating is a judgement of a year's work, and the wait keeps
/// accounts made for the day from counting.
///
/// # Errors
/// `Denied::Forbidden` naming what is missing.
pub fn may_rate_deputy(
    actor: &Actor,
    scanned_card: bool,
    following_since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    min_follow: Duration,
) -> Result<(), Denied> {
    may_follow_deputy(actor, scanned_card)?;
    match following_since {
        None => Err(Denied::Forbidden(
            "only the deputy's voters rate them: follow the deputy first",
        )),
        Some(since) if now - since < min_follow => Err(Denied::Forbidden(
            "voters rate a deputy once they have followed them for the required time",
        )),
        Some(_) => Ok(()),
    }
}

/// May the actor write to the voters of `deputy`? Only the deputy.
///
/// # Errors
/// `Denied::Forbidden` for other deputies and everyone else.
pub fn may_write_to_voters(actor: &Actor, deputy: Uuid) -> Result<(), Denied> {
    if actor.role == Role::Deputy && actor.user_id == deputy {
        Ok(())
    } else {
        Err(Denied::Forbidden("only the deputy writes to their voters"))
    }
}

#[cfg(test)]
mod tests;

mod lists;
pub use lists::{may_filter_by, DeadlineScope, FilterTarget};

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
