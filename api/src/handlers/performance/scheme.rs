use super::scheme_at;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{get, put, web, HttpResponse};
use domain::performance::{Scheme, SchemeInput};
use domain::permission::{may_read_scheme, AdminScope};
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;

/// The performance scheme in force in a region.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeInForce {
    pub region_code: String,
    /// The region that set it (this one or one above); absent: the default, the seed's 3 aspects, 11 items,
    /// 100 points.
    pub defined_in: Option<String>,
    pub scheme: SchemeInput,
}

/// The region at `code`, or 404 (a malformed code names none, as for `GET /regions/{code}`).
async fn region(conn: &mut PgConn, code: &str) -> ApiResult<infra::db::regions::RegionRow> {
    infra::db::regions::find(conn, code)
        .await?
        .ok_or_else(|| ApiError::not_found("region"))
}

/// The performance scheme (记工分) in force in a region: its own, the nearest region's above it, or the default.
/// Staff over the region and the deputies it scores.
#[utoipa::path(operation_id = "performance_scheme", tag = "performance", security(("bearer" = [])),
    params(("code" = String, Path, description = "The region")),
    responses((status = 200, body = SchemeInForce)))]
#[get("/regions/{code}/performance-scheme")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, code: web::Path<String>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = region(&mut conn, &code).await?;
    let path = row.path();
    may_read_scheme(&auth.actor, &path)?;
    let (defined_in, scheme) = scheme_at(&mut conn, &path).await?;
    Ok(HttpResponse::Ok().json(SchemeInForce {
        region_code: row.code,
        defined_in,
        scheme: scheme.input().clone(),
    }))
}

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
) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let scheme = Scheme::parse(body.0)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = region(&mut conn, &code).await?;
    scope.may_manage_in(&row.path())?;
    let json = serde_json::to_value(scheme.input()).map_err(ApiError::internal)?;
    infra::db::performance::put_scheme(&mut conn, &row.code, &json, auth.actor.user_id, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(SchemeInForce {
        region_code: row.code.clone(),
        defined_in: Some(row.code),
        scheme: scheme.input().clone(),
    }))
}
