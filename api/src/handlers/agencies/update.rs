use super::Agency;
use crate::app::error::{AppError, AppResult};
use crate::app::organisation::check_categories;
use crate::extract::{AuthUser, Json};
use crate::handlers::nullable;
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::organisation::agency::AgencyName;
use domain::permission::AdminScope;
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
    let scope = AdminScope::of(&auth.actor)?;
    let body = body.0;
    let name = body.name.as_deref().map(AgencyName::parse).transpose()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (current, path) = infra::db::agencies::find(&mut conn, *id)
        .await?
        .ok_or_else(|| AppError::not_found("agency"))?;
    scope.may_manage_in(&path)?;
    let categories = match body.category_codes {
        Some(codes) => Some(check_categories(&mut conn, &codes).await?),
        None => None,
    };
    let contact = match body.contact_id {
        None => current.row.contact_id,
        Some(None) => None,
        Some(Some(user)) => {
            let handler = infra::db::users::handlers_of(&mut conn, &[current.row.id]).await?;
            if !handler.contains(&user) {
                return Err(AppError::new(
                    crate::app::error::ErrorCode::ValidationFailed,
                    "must be an enabled handler of this agency",
                )
                .with_field("contact_id"));
            }
            Some(user)
        }
    };
    let agency = infra::db::agencies::update(
        &mut conn,
        current.row.id,
        name.as_ref().map_or(&current.row.name, |n| n.as_str()),
        body.enabled.unwrap_or(current.row.enabled),
        contact,
        categories.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Agency::from(agency)))
}
