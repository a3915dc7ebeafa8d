use super::Agency;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::agency::AgencyName;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAgency {
    #[schema(example = "330281")]
    pub region_code: String,
    #[schema(example = "余姚市水利局", max_length = 80)]
    pub name: String,
    /// Codes of the categories it handles.
    #[serde(default)]
    pub category_codes: Vec<String>,
}

/// Add an agency in a region of the caller's subtree.
#[utoipa::path(
    tag = "agencies",
    security(("bearer" = [])),
    request_body = CreateAgency,
    responses(
        (status = 201, body = Agency, headers(("Location" = String))),
        (status = 404, description = "The region named does not exist within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/agencies")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateAgency>) -> AppResult<HttpResponse> {
    let new = app::organisation::agencies::NewAgency {
        region_code: &body.region_code,
        name: AgencyName::parse(&body.name)?,
        category_codes: &body.category_codes,
    };
    let answer = app::organisation::agencies::add(&state, auth.caller(), new, |agency| {
        Answer::created(
            &auth,
            format!("/api/v1/agencies/{}", agency.row.id),
            &Agency::from(agency),
        )
    })
    .await?;
    Ok(answer.respond())
}
