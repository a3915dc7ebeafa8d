//! Deputy liaison stations: added in a region of the caller's subtree, changed.

use crate::app::error::{AppError, AppResult};
use crate::app::reach::list_prefix;
use crate::app::reach::region_to_manage;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::organisation::geo::GeoPoint;
use domain::organisation::station::{Address, StationName};
use domain::permission::AdminScope;
use infra::db::stations::{StationFields, StationRow};
use uuid::Uuid;

/// Adds a liaison station; `fields.region_code` is the code as asked, checked to be in the caller's reach.
///
/// # Errors
/// 404 on `region_code` out of reach; 409 for a name taken in the region.
pub async fn add<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    mut fields: StationFields,
    answer: impl FnOnce(StationRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    fields.region_code = region_to_manage(&mut conn, &scope, &fields.region_code, "region_code")
        .await?
        .code;
    let fields = &fields;
    commit(
        &mut conn,
        |conn| async move { Ok(infra::db::stations::insert(conn, Uuid::now_v7(), fields).await?) }.scope_boxed(),
        answer,
    )
    .await
}

/// What a change to a station sets; what is left out stays. `location`: `Some(None)` clears it.
pub struct StationChange {
    pub name: Option<StationName>,
    pub address: Option<Address>,
    pub location: Option<Option<GeoPoint>>,
    pub reception_days: Option<serde_json::Value>,
    pub enabled: Option<bool>,
}

/// Changes a station in the caller's reach.
///
/// # Errors
/// 404 for no such station; 403 for one out of reach; 409 for a name taken in its region.
pub async fn change(state: &AppState, caller: &Caller, id: Uuid, change: StationChange) -> AppResult<StationRow> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (row, path) = infra::db::stations::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    scope.may_manage_in(&path)?;
    let mut fields = row.fields();
    if let Some(name) = change.name {
        fields.name = name.into_inner();
    }
    if let Some(address) = change.address {
        fields.address = address.into_inner();
    }
    if let Some(point) = change.location {
        fields.latitude = point.map(GeoPoint::latitude);
        fields.longitude = point.map(GeoPoint::longitude);
    }
    if let Some(days) = change.reception_days {
        fields.reception_days = days;
    }
    if let Some(enabled) = change.enabled {
        fields.enabled = enabled;
    }
    Ok(infra::db::stations::update(&mut conn, row.id, &fields).await?)
}

/// The stations in the caller's reach, or in `region`'s subtree within it: after `after`, `probe` at most.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 naming `region` outside the caller's reach.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    region: Option<&str>,
    after: Option<Uuid>,
    probe: i64,
) -> AppResult<Vec<StationRow>> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = list_prefix(&mut conn, &scope, region).await?;
    Ok(infra::db::stations::list(&mut conn, prefix.as_deref(), after, probe).await?)
}

/// Station `id`, within the caller's reach.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 for a station unknown or outside their reach.
pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<StationRow> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (row, path) = infra::db::stations::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    scope.may_see(&path)?;
    Ok(row)
}
