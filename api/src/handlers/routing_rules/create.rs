use super::RoutingRule;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRule {
    #[schema(example = "330281")]
    pub region_code: String,
    #[schema(example = "streetlights")]
    pub category_code: String,
    pub lead_agency_id: Uuid,
    #[serde(default)]
    pub co_agency_ids: Vec<Uuid>,
}

/// Add the rule for a category in a region of the caller's scope (one per pair).
#[utoipa::path(
    tag = "routing",
    security(("bearer" = [])),
    request_body = CreateRule,
    responses(
        (status = 201, body = RoutingRule, headers(("Location" = String))),
        (status = 404, description = "The region named does not exist within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/routing-rules")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateRule>) -> AppResult<HttpResponse> {
    let new = app::organisation::routing::NewRule {
        region_code: &body.region_code,
        category_code: &body.category_code,
        lead_agency_id: body.lead_agency_id,
        co_agency_ids: &body.co_agency_ids,
    };
    let answer = app::organisation::routing::add_rule(&state, auth.caller(), new, |row| {
        Answer::created(
            &auth,
            format!("/api/v1/routing-rules/{}", row.id),
            &RoutingRule::from(row),
        )
    })
    .await?;
    Ok(answer.respond())
}
