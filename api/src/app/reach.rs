//! The regions, agencies and stations a caller's request may name: checked against their scope or reach, shared by
//! every resource that is created in a region or listed by one.

use crate::app::error::{AppError, AppResult};
use domain::organisation::region::RegionCode;
use domain::permission::AdminScope;
use infra::db::regions::RegionRow;
use infra::db::PgConn;

/// The region something new is to live in: `raw` must name a region that exists and lies in the caller's scope.
/// Failures name `field`.
pub async fn region_to_manage(conn: &mut PgConn, scope: &AdminScope, raw: &str, field: &str) -> AppResult<RegionRow> {
    let code = RegionCode::parse(raw).map_err(|e| e.at(field))?;
    let row = infra::db::regions::find(conn, code.as_str())
        .await?
        .ok_or_else(|| AppError::not_found("region").with_field(field))?;
    scope
        .may_manage_in(&row.path())
        .map_err(|d| AppError::from(d).with_field(field))?;
    Ok(row)
}

/// The region path a list is limited to: the one asked for with `?region=` (which must lie in the caller's scope),
/// else the caller's whole scope (`None` for admins: everywhere).
pub async fn list_prefix(conn: &mut PgConn, scope: &AdminScope, region: Option<&str>) -> AppResult<Option<String>> {
    let Some(code) = region else {
        return Ok(scope.path_prefix().map(str::to_owned));
    };
    let code = RegionCode::parse(code).map_err(|e| AppError::from(e.at("region")))?;
    // Unknown and out of reach answer alike (404 naming the filter), so a list tells nothing of what lies beyond.
    let hidden = || AppError::not_found("region").with_field("region");
    let row = infra::db::regions::find(conn, code.as_str())
        .await?
        .ok_or_else(hidden)?;
    scope.may_see(&row.path()).map_err(|_| hidden())?;
    Ok(Some(row.path))
}

/// The path a public list's `?region=` filter selects (that region and below). A region that does not exist is a
/// 404 naming the filter, as for every list.
pub async fn region_filter(conn: &mut PgConn, region: Option<&str>) -> AppResult<Option<String>> {
    let Some(code) = region else {
        return Ok(None);
    };
    let code = RegionCode::parse(code).map_err(|e| AppError::from(e.at("region")))?;
    let row = infra::db::regions::find(conn, code.as_str())
        .await?
        .ok_or_else(|| AppError::not_found("region").with_field("region"))?;
    Ok(Some(row.path))
}

/// The region, agency and station a signed-in list names, each checked against the caller's reach
/// (`domain::permission::may_filter_by`): one that does not exist, or lies outside the reach, answers 404 naming the
/// filter. Answers the region's path, for the list's prefix.
pub fn filters_in_reach(
    reference: &infra::db::reference::Reference,
    actor: &domain::permission::Actor,
    region: Option<&str>,
    agency: Option<uuid::Uuid>,
    station: Option<uuid::Uuid>,
) -> AppResult<Option<String>> {
    use domain::permission::{may_filter_by, FilterTarget};
    let hidden = |field: &str| AppError::not_found(field).with_field(field.to_owned());
    let mut prefix = None;
    if let Some(code) = region {
        let code = RegionCode::parse(code).map_err(|e| AppError::from(e.at("region")))?;
        let path = reference.region(code.as_str()).ok_or_else(|| hidden("region"))?;
        may_filter_by(actor, FilterTarget::Region(path)).map_err(|_| hidden("region"))?;
        prefix = Some(path.as_str().to_owned());
    }
    if let Some(id) = agency {
        let agency = reference.agency(id).ok_or_else(|| hidden("agency"))?;
        may_filter_by(actor, FilterTarget::Agency(id, &agency.path)).map_err(|_| hidden("agency"))?;
    }
    if let Some(id) = station {
        let station = reference.station(id).ok_or_else(|| hidden("station"))?;
        may_filter_by(actor, FilterTarget::Station(id, &station.path)).map_err(|_| hidden("station"))?;
    }
    Ok(prefix)
}
