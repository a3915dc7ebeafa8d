//! `GET /regions/{code}/performance-scheme`: the performance scheme (记工分) in force in a region.

use super::SchemeInForce;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// The performance scheme (记工分) in force in a region: its own, the nearest region's above it, or the default.
/// Staff over the region and the deputies it scores.
#[utoipa::path(operation_id = "performance_scheme", tag = "performance", security(("bearer" = [])),
    params(("code" = String, Path, description = "The region")),
    responses((status = 200, body = SchemeInForce)))]
#[get("/regions/{code}/performance-scheme")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, code: web::Path<String>) -> AppResult<HttpResponse> {
    let (region, defined_in, scheme) = crate::app::performance::scheme_in_force(&state, &auth, &code).await?;
    Ok(HttpResponse::Ok().json(SchemeInForce {
        region_code: region.code,
        defined_in,
        scheme: scheme.input().clone(),
    }))
}
