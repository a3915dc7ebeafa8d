//! Where an elected project's work is: a point on the map with an address, or its ballot's region as a whole. Staff
//! over the project set it; the console's map and the public page show it.

use super::timeline::record;
use super::{found, role_over};
use crate::app::error::AppResult;
use crate::app::{transaction, Caller, ScopedFutureExt};
use crate::state::AppState;
use domain::issue::report::PlaceAddress;
use domain::organisation::geo::GeoPoint;
use domain::project::EventKind;
use serde_json::json;
use uuid::Uuid;

/// Staff over the project place it (again replaces it; none clears it), recorded on its timeline.
///
/// # Errors
/// 404 / 403 by role.
pub async fn set(
    state: &AppState,
    caller: &Caller,
    project: Uuid,
    point: Option<GeoPoint>,
    address: Option<PlaceAddress>,
) -> AppResult<()> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?.may_supervise("projects are placed by staff over them")?;
    let actor = &caller.actor;
    let (point, address) = (&point, &address);
    transaction(&mut conn, |conn| {
        async move {
            let at = point.map(|p| (p.latitude(), p.longitude()));
            let words = address.as_ref().map(PlaceAddress::as_str);
            infra::db::projects::set_place(conn, project, at, words).await?;
            let note = match words {
                Some(w) => format!("项目地点：{w}"),
                None if at.is_some() => "项目地点已标注".to_owned(),
                None => "项目地点：全区域".to_owned(),
            };
            let data = json!({ "latitude": at.map(|a| a.0), "longitude": at.map(|a| a.1), "address": words });
            record(conn, project, EventKind::Placed, Some(actor), Some(&note), data, now).await?;
            Ok(())
        }
        .scope_boxed()
    })
    .await
}
