use super::Region;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::region::{RegionCode, RegionLevel, RegionName};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRegion {
    #[schema(example = "330281001")]
    pub code: String,
    #[schema(example = "凤山街道", max_length = 64)]
    pub name: String,
    pub level: RegionLevel,
    /// The region this one stands under; omit for a top-level region (admins only).
    pub parent_code: Option<String>,
}

/// Add a region under a parent. Staff add regions below their own; only admins add top-level regions.
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    request_body = CreateRegion,
    responses(
        (status = 201, body = Region, headers(("Location" = String))),
        (status = 404, description = "The parent does not exist or lies outside the caller's subtree", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/regions")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateRegion>) -> AppResult<HttpResponse> {
    let asked = app::organisation::regions::NewRegionAsked {
        code: RegionCode::parse(&body.code)?,
        name: RegionName::parse(&body.name)?,
        level: body.level,
        parent_code: body.parent_code.as_deref(),
    };
    let answer = app::organisation::regions::add(&state, auth.caller(), asked, |row| {
        Answer::created(&auth, format!("/api/v1/regions/{}", row.code), &Region::from(row))
    })
    .await?;
    Ok(answer.respond())
}
