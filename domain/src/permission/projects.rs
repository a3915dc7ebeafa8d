//! How an actor stands to an elected livelihood project (码上监督): who reports, inspects, reviews comments,
//! comments and rates.

use super::{Actor, AdminScope, Denied, RegionPath, Role};
use uuid::Uuid;

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

    /// Citizens' comments are answered by the responsible agency, which speaks for the project's delivery.
    ///
    /// # Errors
    /// `Denied::Forbidden` for staff and deputies.
    pub fn may_answer_comments(self) -> Result<(), Denied> {
        match self {
            ProjectRole::Agency => Ok(()),
            _ => Err(Denied::Forbidden(
                "comments are answered by the responsible agency's handlers",
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

    /// The plan is changed at the agency's request (it delivers) and by staff's decision (they supervise).
    ///
    /// # Errors
    /// `Denied::Forbidden` for staff and deputies.
    pub fn may_ask_plan_change(self) -> Result<(), Denied> {
        match self {
            ProjectRole::Agency => Ok(()),
            _ => Err(Denied::Forbidden(
                "plan changes are asked by the responsible agency's handlers",
            )),
        }
    }

    /// Staff over the project decide plan changes, record acceptance, place it and turn comments into issues.
    ///
    /// # Errors
    /// `Denied::Forbidden` for the agency's handlers and deputies.
    pub fn may_supervise(self, what: &'static str) -> Result<(), Denied> {
        match self {
            ProjectRole::Staff => Ok(()),
            _ => Err(Denied::Forbidden(what)),
        }
    }

    /// Money allocated and spent is recorded by the responsible agency, which pays, and by staff (the finance
    /// bureau's figures reach the liaison office too).
    ///
    /// # Errors
    /// `Denied::Forbidden` for deputies.
    pub fn may_record_money(self) -> Result<(), Denied> {
        match self {
            ProjectRole::Agency | ProjectRole::Staff => Ok(()),
            ProjectRole::Deputy => Err(Denied::Forbidden(
                "money is recorded by the responsible agency's handlers and staff",
            )),
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
