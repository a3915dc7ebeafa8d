//! `PUT /regions/{code}/performance-scheme`: set a region's performance scheme.

use super::SchemeInForce;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::performance::{Scheme, SchemeInput};

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
    let scheme = Scheme::parse(body.0)?;
    let code = app::performance::put_scheme(&state, auth.caller(), &code, &scheme).await?;
    Ok(HttpResponse::Ok().json(SchemeInForce {
        region_code: code.clone(),
        defined_in: Some(code),
        scheme: scheme.input().clone(),
    }))
}
