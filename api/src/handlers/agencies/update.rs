use super::Agency;
use crate::app;
use crate::app::error::AppResult;
use crate::app::organisation::agencies::AgencyChange;
use crate::extract::{AuthUser, Json};
use crate::handlers::nullable;
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::organisation::agency::AgencyName;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAgency {
    #[schema(max_length = 80)]
    pub name: Option<String>,
    pub enabled: Option<bool>,
    /// Replaces the categories it handles.
    pub category_codes: Option<Vec<String>>,
    /// The handler told when the agency's deadlines are overdue (督办联系人): one of its enabled handlers, or
    /// `null` for none.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub contact_id: Option<Option<Uuid>>,
}

/// Change an agency. Fields left out stay as they are.
#[utoipa::path(
    tag = "agencies",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = UpdateAgency,
    responses(
        (status = 200, body = Agency),
        (status = 409, description = "A unique value is already taken", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/agencies/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<UpdateAgency>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let change = AgencyChange {
        name: body.name.as_deref().map(AgencyName::parse).transpose()?,
        enabled: body.enabled,
        category_codes: body.category_codes,
        contact: body.contact_id,
    };
    let agency = app::organisation::agencies::change(&state, auth.caller(), *id, change).await?;
    Ok(HttpResponse::Ok().json(Agency::from(agency)))
}
