use super::*;
use crate::organisation::region::path_of as path;

fn actor(role: Role, region: Option<RegionPath>, agency: Option<Uuid>, stations: Vec<Uuid>) -> Actor {
    Actor {
        user_id: Uuid::nil(),
        role,
        region,
        agency,
        stations,
    }
}

#[test]
fn filters_outside_reach_are_hidden() {
    let yuyao = path(&["33", "3302", "330281"]);
    let fengshan = path(&["33", "3302", "330281", "330281001"]);
    let beilun = path(&["33", "3302", "330206"]);
    let ningbo = path(&["33", "3302"]);
    let (station, agency) = (Uuid::from_u128(1), Uuid::from_u128(2));

    let staff = actor(Role::Staff, Some(yuyao.clone()), None, vec![]);
    assert_eq!(may_filter_by(&staff, FilterTarget::Region(&fengshan)), Ok(()));
    assert_eq!(
        may_filter_by(&staff, FilterTarget::Region(&beilun)),
        Err(Denied::Hidden)
    );
    assert_eq!(
        may_filter_by(&staff, FilterTarget::Agency(agency, &ningbo)),
        Err(Denied::Hidden)
    );

    let deputy = actor(Role::Deputy, Some(yuyao.clone()), None, vec![station]);
    assert_eq!(
        may_filter_by(&deputy, FilterTarget::Station(station, &fengshan)),
        Ok(())
    );
    assert_eq!(
        may_filter_by(&deputy, FilterTarget::Station(Uuid::from_u128(9), &fengshan)),
        Err(Denied::Hidden)
    );
    assert_eq!(
        may_filter_by(&deputy, FilterTarget::Agency(agency, &ningbo)),
        Ok(()),
        "the city's agencies"
    );
    assert_eq!(
        may_filter_by(&deputy, FilterTarget::Region(&beilun)),
        Err(Denied::Hidden)
    );

    let handler = actor(Role::Handler, Some(yuyao), Some(agency), vec![]);
    assert_eq!(may_filter_by(&handler, FilterTarget::Agency(agency, &ningbo)), Ok(()));
    assert_eq!(
        may_filter_by(&handler, FilterTarget::Agency(Uuid::from_u128(3), &fengshan)),
        Err(Denied::Hidden)
    );
    assert_eq!(
        may_filter_by(&handler, FilterTarget::Region(&beilun)),
        Err(Denied::Hidden)
    );

    let admin = actor(Role::Admin, None, None, vec![]);
    assert_eq!(may_filter_by(&admin, FilterTarget::Region(&beilun)), Ok(()));
}
