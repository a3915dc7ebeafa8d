use super::User;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::organisation::user::{Password, PersonName, Phone};
use domain::role::DeputyLevel;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Changes to an account. Role and region are fixed: a person taking another role gets another account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[schema(max_length = 40)]
    pub name: Option<String>,
    pub phone: Option<String>,
    /// A new password (at least 10 characters, mixing letters with digits or symbols).
    #[schema(max_length = 128)]
    pub password: Option<String>,
    /// A disabled account is refused at its next request, whatever tokens it holds. Disabling ends every session,
    /// so re-enabling does not bring old tokens back; nobody may disable their own account.
    pub enabled: Option<bool>,
    /// Deputies only.
    pub deputy_level: Option<DeputyLevel>,
    /// Deputies only: replaces the stations they serve at.
    pub station_ids: Option<Vec<Uuid>>,
}

/// Change an account. Fields left out stay as they are. A new password, a new phone number or disabling the account
/// ends every session it has open, in the same transaction: it signs in again.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = UpdateUser,
    responses(
        (status = 200, body = User),
        (status = 409, description = "The phone is taken", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<UpdateUser>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let change = app::accounts::AccountChange {
        name: body.name.as_deref().map(PersonName::parse).transpose()?,
        phone: body.phone.as_deref().map(Phone::parse).transpose()?,
        password: body.password.map(Password::parse).transpose()?,
        enabled: body.enabled,
        deputy_level: body.deputy_level,
        station_ids: body.station_ids,
    };
    let user = app::accounts::change(&state, auth.caller(), *id, change).await?;
    Ok(HttpResponse::Ok().json(User::view(user, &auth.actor)))
}
