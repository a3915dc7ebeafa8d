//! `GET /regions/{code}/performance-scheme`: the performance scheme (记工分) in force in a region.

use super::{region, SchemeInForce};
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::handlers::performance::scheme_at;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::may_read_scheme;

/// The performance scheme (记工分) in force in a region: its own, the nearest region's above it, or the default.
/// Staff over the region and the deputies it scores.
#[utoipa::path(operation_id = "performance_scheme", tag = "performance", security(("bearer" = [])),
    params(("code" = String, Path, description = "The region")),
    responses((status = 200, body = SchemeInForce)))]
#[get("/regions/{code}/performance-scheme")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, code: web::Path<String>) -> AppResult<HttpResponse> {
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
