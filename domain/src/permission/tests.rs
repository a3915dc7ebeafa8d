use super::*;

use crate::organisation::region::path_of as path;

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
fn a_project_is_reported_on_by_its_agency_and_inspected_by_deputies_of_its_branch() {
    let lanzhou = path(&["62", "6201"]);
    let chengguan = path(&["62", "6201", "620102"]);
    let jiuquan = path(&["62", "6209"]);
    let agency = Uuid::from_u128(9);
    let mut handler = actor(Role::Handler, Some(lanzhou.clone()));
    handler.agency = Some(agency);
    let role = ProjectRole::of(&handler, &lanzhou, agency).expect("the agency");
    assert_eq!(role.may_report_progress(), Ok(()));
    assert!(role.may_inspect().is_err());
    handler.agency = Some(Uuid::from_u128(10));
    assert_eq!(ProjectRole::of(&handler, &lanzhou, agency), Err(Denied::Hidden));
    let county_deputy = actor(Role::Deputy, Some(chengguan));
    let role = ProjectRole::of(&county_deputy, &lanzhou, agency).expect("below");
    assert_eq!(role.may_inspect(), Ok(()));
    assert!(role.may_report_progress().is_err());
    assert_eq!(
        ProjectRole::of(&actor(Role::Deputy, Some(jiuquan.clone())), &lanzhou, agency),
        Err(Denied::Hidden)
    );
    assert_eq!(
        ProjectRole::of(&actor(Role::Staff, Some(jiuquan)), &lanzhou, agency),
        Err(Denied::Hidden)
    );
    assert!(matches!(
        ProjectRole::of(&actor(Role::Citizen, None), &lanzhou, agency),
        Err(Denied::Forbidden(_))
    ));
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

#[test]
fn qr_codes_are_drawn_inside_the_subtree_or_by_the_deputy_concerned() {
    let yuyao = path(&["33", "3302", "330281"]);
    let beilun = path(&["33", "3302", "330206"]);
    let station = Uuid::from_u128(7);
    let staff = actor(Role::Staff, Some(yuyao.clone()));
    assert_eq!(may_draw_station_code(&staff, station, &yuyao), Ok(()));
    assert_eq!(may_draw_station_code(&staff, station, &beilun), Err(Denied::Hidden));
    let mut deputy = actor(Role::Deputy, Some(yuyao.clone()));
    deputy.user_id = Uuid::from_u128(9);
    assert_eq!(may_draw_station_code(&deputy, station, &yuyao), Err(Denied::Hidden));
    deputy.stations.push(station);
    assert_eq!(may_draw_station_code(&deputy, station, &yuyao), Ok(()));
    assert_eq!(may_draw_deputy_code(&deputy, deputy.user_id, &yuyao), Ok(()));
    assert_eq!(
        may_draw_deputy_code(&deputy, Uuid::from_u128(10), &yuyao),
        Err(Denied::Hidden)
    );
    assert_eq!(
        may_draw_deputy_code(&staff, deputy.user_id, &beilun),
        Err(Denied::Hidden)
    );
    for role in [Role::Handler, Role::Citizen] {
        assert!(matches!(
            may_draw_station_code(&actor(role, Some(yuyao.clone())), station, &yuyao),
            Err(Denied::Forbidden(_))
        ));
    }
}

#[test]
fn whole_phone_numbers_are_for_their_owner_and_admins() {
    let mut staff = actor(Role::Staff, Some(path(&["33"])));
    staff.user_id = Uuid::from_u128(1);
    assert!(may_see_phone(&staff, Uuid::from_u128(1)));
    assert!(!may_see_phone(&staff, Uuid::from_u128(2)));
    assert!(may_see_phone(&actor(Role::Admin, None), Uuid::from_u128(2)));
    assert!(may_erase_self(&actor(Role::Citizen, None)).is_ok());
    assert!(may_erase_self(&staff).is_err());
}

#[test]
fn admins_only_disable_or_enable_citizens() {
    let admin = AdminScope::Everywhere;
    assert_eq!(admin.may_change(Role::Citizen, true), Ok(()));
    assert!(admin.may_change(Role::Citizen, false).is_err());
    assert_eq!(admin.may_change(Role::Deputy, false), Ok(()));
    let staff = AdminScope::Subtree(path(&["33"]));
    assert!(staff.may_change(Role::Citizen, true).is_err());
    assert!(staff.may_change(Role::Admin, true).is_err());
}
