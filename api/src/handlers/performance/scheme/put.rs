//! `PUT /regions/{code}/performance-scheme`: set a region's performance scheme.

use super::{region, SchemeInForce};
use crate::app::error::{AppError, AppResult};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::performance::{Scheme, SchemeInput};
use domain::permission::AdminScope;

/// Set a region's performance scheme: aspects of items, each with its source, points an act and most a year, the
/// items' most summing to 100; and 三维联评's weights, summing to 100. It applies to the deputies of the region and
/// below (unless a region below sets its own), for every year, from now on. Staff of the region or above.
#[utoipa::path(operation_id = "set_performance_scheme", tag = "performance", security(("bearer" = [])),
    params(("code" = String, Path, description = "The region")),
    request_body = SchemeInput,
    responses((status = 200, body = SchemeInForce)))]
#[put("/regions/{code}/performance-scheme")]
pub async fn put(
    state: web::Data<AppState>,
    auth: AuthUser,
    code: web::Path<String>,
    body: Json<SchemeInput>,
) -> AppResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let scheme = Scheme::parse(body.0)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = region(&mut conn, &code).await?;
    scope.may_manage_in(&row.path())?;
    let json = serde_json::to_value(scheme.input()).map_err(AppError::internal)?;
    infra::db::performance::put_scheme(&mut conn, &row.code, &json, auth.actor.user_id, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(SchemeInForce {
        region_code: row.code.clone(),
        defined_in: Some(row.code),
        scheme: scheme.input().clone(),
    }))
}
