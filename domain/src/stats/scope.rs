//! Whose figures an actor may read: staff their region's subtree, deputies their stations' issues and their own,
//! handlers what their agency leads, admins everything. Citizens read the public results instead.

use crate::organisation::region::RegionPath;
use crate::permission::Actor;
use crate::role::Role;
use crate::Denied;
use uuid::Uuid;

/// Which issues, besides the region asked for, an actor's figures count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    All,
    /// A deputy: their stations' issues, those reported to them and those they reported.
    Deputy {
        user: Uuid,
        stations: Vec<Uuid>,
    },
    /// A handler: the issues their agency leads.
    Agency(Uuid),
}

/// A region subtree (none: everywhere) and whose issues in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsScope {
    pub region: Option<RegionPath>,
    pub counted: Counted,
}

impl StatsScope {
    /// The scope of `actor` narrowed to `asked`.
    ///
    /// # Errors
    /// `Forbidden` for citizens and for accounts missing the region or agency their role needs; `Hidden` for a region
    /// outside the caller's reach (`permission::may_filter_by`).
    pub fn of(actor: &Actor, asked: Option<RegionPath>) -> Result<Self, Denied> {
        let counted =
            match actor.role {
                Role::Admin | Role::Staff => Counted::All,
                Role::Deputy => Counted::Deputy {
                    user: actor.user_id,
                    stations: actor.stations.clone(),
                },
                Role::Handler => Counted::Agency(
                    actor
                        .agency
                        .ok_or(Denied::Forbidden("this handler account has no agency"))?,
                ),
                Role::Citizen => return Err(Denied::Forbidden(
                    "statistics are for staff, deputies and handlers; the public results are at /api/v1/public/issues",
                )),
            };
        if let Some(asked) = &asked {
            crate::permission::may_filter_by(actor, crate::permission::FilterTarget::Region(asked))?;
        }
        let region = if actor.role == Role::Staff {
            let own = actor
                .region
                .clone()
                .ok_or(Denied::Forbidden("this staff account has no region"))?;
            Some(asked.unwrap_or(own))
        } else {
            asked
        };
        Ok(StatsScope { region, counted })
    }
}

/// May the actor compile a 民情专报 bulletin? Staff (for their subtree) and admins: it goes to the party committee.
///
/// # Errors
/// `Denied::Forbidden` for other roles.
pub fn may_compile_bulletin(actor: &Actor) -> Result<(), Denied> {
    if matches!(actor.role, Role::Staff | Role::Admin) {
        Ok(())
    } else {
        Err(Denied::Forbidden("bulletins are compiled by staff"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::region::RegionCode;

    use crate::organisation::region::path_of as path;

    fn actor(role: Role, region: Option<RegionPath>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(1),
            role,
            region,
            agency: None,
            stations: vec![],
        }
    }

    #[test]
    fn staff_read_their_subtree_only() {
        let yuyao = path(&["33", "3302", "330281"]);
        let fengshan = yuyao.child(&RegionCode::parse("330281001").expect("code"));
        let beilun = path(&["33", "3302", "330206"]);
        let staff = actor(Role::Staff, Some(yuyao.clone()));
        assert_eq!(StatsScope::of(&staff, None).map(|s| s.region), Ok(Some(yuyao.clone())));
        assert_eq!(
            StatsScope::of(&staff, Some(fengshan.clone())).map(|s| s.region),
            Ok(Some(fengshan))
        );
        assert!(StatsScope::of(&staff, Some(beilun.clone())).is_err());
        assert!(StatsScope::of(&staff, Some(path(&["33"]))).is_err());
        assert!(StatsScope::of(&actor(Role::Citizen, None), None).is_err());
        assert!(StatsScope::of(&actor(Role::Handler, Some(yuyao)), None).is_err());
        let deputy = StatsScope::of(&actor(Role::Deputy, Some(beilun)), None).expect("deputy");
        assert!(matches!(deputy.counted, Counted::Deputy { .. }));
        assert!(may_compile_bulletin(&actor(Role::Deputy, None)).is_err());
    }
}
