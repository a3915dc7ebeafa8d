use super::RoutingRule;
use crate::app::reach::region_to_manage;
use crate::app::routing::check_agencies;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::permission::AdminScope;
use infra::db::AsyncConnection;
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
        (status = 404, description = "The region named does not exist within the caller's scope", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/routing-rules")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateRule>) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, &body.region_code, "region_code").await?;
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    if !reference.has_category(&body.category_code) {
        return Err(ApiError::rule("category_code", "unknown_category", "no such category"));
    }
    if reference.offered_at(&region.path(), &body.category_code).is_none() {
        return Err(ApiError::rule(
            "category_code",
            "category_not_offered",
            "this category is not offered in the rule's region",
        ));
    }
    let co = check_agencies(&reference, &region.path(), body.lead_agency_id, &body.co_agency_ids)?;
    let answer = conn
        .transaction(async |conn| {
            let row =
                infra::db::routing::insert_rule(conn, &region.code, &body.category_code, body.lead_agency_id, &co)
                    .await?;
            let answer = Answer::created(
                &auth,
                format!("/api/v1/routing-rules/{}", row.id),
                &RoutingRule::from(row),
            )?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
