use super::{check_categories, Agency};
use crate::app::reach::region_to_manage;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::agency::AgencyName;
use domain::permission::AdminScope;
use infra::db::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

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
        (status = 404, description = "The region named does not exist within the caller's scope", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/agencies")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateAgency>) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let body = body.0;
    let name = AgencyName::parse(&body.name)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region_row = region_to_manage(&mut conn, &scope, &body.region_code, "region_code").await?;
    let categories = check_categories(&mut conn, &body.category_codes).await?;
    let answer = conn
        .transaction(async |conn| {
            let agency =
                infra::db::agencies::insert(conn, Uuid::now_v7(), &region_row.code, name.as_str(), &categories).await?;
            let answer = Answer::created(
                &auth,
                format!("/api/v1/agencies/{}", agency.row.id),
                &Agency::from(agency),
            )?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
