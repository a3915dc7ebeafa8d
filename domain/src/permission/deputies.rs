//! 代表履职 and 每名代表联系选民: who reads a deputy's scheme and points, ranks and assesses them, and who follows,
//! rates and is written to by them.

use super::{Actor, AdminScope, Denied, RegionPath, Role};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

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
