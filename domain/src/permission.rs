//! Who may see and change the organisation model.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::region::RegionCode;

    fn path(codes: &[&str]) -> RegionPath {
        let mut codes = codes.iter().map(|c| RegionCode::parse(c).expect("valid code"));
        let first = codes.next().expect("at least one code");
        codes.fold(RegionPath::root(&first), |p, c| p.child(&c))
    }

    fn actor(role: Role, region: Option<RegionPath>) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            role,
            region,
            agency: None,
            stations: vec![],
        }
    }

    #[test]
    fn staff_reach_their_subtree_and_nothing_else() {
        let yuyao = path(&["33", "3302", "330281"]);
        let scope = AdminScope::of(&actor(Role::Staff, Some(yuyao.clone()))).expect("staff administer");
        assert_eq!(scope.may_see(&path(&["33", "3302", "330281", "330281001"])), Ok(()));
        assert_eq!(scope.may_see(&path(&["33", "3302", "330206"])), Err(Denied::Hidden));
        assert_eq!(scope.may_manage_in(&yuyao), Ok(()));
        assert!(matches!(scope.may_manage_region(&yuyao), Err(Denied::Forbidden(_))));
        assert_eq!(
            scope.may_manage_region(&path(&["33", "3302", "330281", "330281001"])),
            Ok(())
        );
        assert!(scope.may_create_root_region().is_err());
        assert!(scope.may_grant(Role::Admin).is_err());
        assert!(scope.may_grant(Role::Deputy).is_ok());
    }

    #[test]
    fn only_admins_and_staff_administer() {
        for role in [Role::Deputy, Role::Handler, Role::Citizen] {
            assert!(AdminScope::of(&actor(role, Some(path(&["33"])))).is_err());
        }
        assert_eq!(AdminScope::of(&actor(Role::Admin, None)), Ok(AdminScope::Everywhere));
        assert!(AdminScope::of(&actor(Role::Staff, None)).is_err());
        assert!(may_manage_categories(&actor(Role::Staff, Some(path(&["33"])))).is_err());
    }
}
