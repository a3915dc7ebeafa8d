use super::Policy;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::issue::deadline::DeadlinePolicy;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutPolicy {
    /// Leave out for every region (admins only).
    pub region_code: Option<String>,
    /// Leave out for every category.
    pub category_code: Option<String>,
    pub policy: DeadlinePolicy,
}

/// Set the policy for a region and/or a category (replacing the one there). Staff set policies of regions in their
/// scope; only admins set service-wide ones.
#[utoipa::path(
    tag = "routing",
    security(("bearer" = [])),
    request_body = PutPolicy,
    responses(
        (status = 200, body = Policy),
    )
)]
#[put("/deadline-policies")]
pub async fn put(state: web::Data<AppState>, auth: AuthUser, body: Json<PutPolicy>) -> AppResult<HttpResponse> {
    let asked = (body.region_code.as_deref(), body.category_code.as_deref());
    let row = app::organisation::routing::put_policy(&state, auth.caller(), asked, &body.policy).await?;
    Ok(HttpResponse::Ok().json(Policy::try_from(row)?))
}
