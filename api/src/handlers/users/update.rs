use super::{check_stations, hash_password, User};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::organisation::user::{deputy_stations, Password, PersonName, Phone, SessionEnd};
use domain::permission::{may_disable, AdminScope};
use domain::role::{DeputyLevel, Role};
use infra::db::users::UserChanges;
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
        (status = 409, description = "The phone is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<UpdateUser>,
) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let body = body.0;
    let name = body.name.as_deref().map(PersonName::parse).transpose()?;
    let phone = body.phone.as_deref().map(Phone::parse).transpose()?;
    let password = body.password.map(Password::parse).transpose()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let current = super::in_reach(&mut conn, &scope, *id).await?;
    let role: Role = current.row.role.parse().map_err(ApiError::internal)?;
    let only_enabled = body.name.is_none()
        && body.phone.is_none()
        && password.is_none()
        && body.deputy_level.is_none()
        && body.station_ids.is_none();
    scope.may_change(role, only_enabled)?;
    if body.enabled == Some(false) {
        may_disable(&auth.actor, current.row.id)?;
    }
    if current.row.erased_at.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "this account was erased by its owner and cannot change",
        ));
    }
    if role != Role::Deputy {
        let only_deputies = |field: &str| {
            ApiError::new(ErrorCode::ValidationFailed, format!("only deputies have {field}"))
                .with_field(field.to_owned())
        };
        if body.deputy_level.is_some() {
            return Err(only_deputies("deputy_level"));
        }
        if body.station_ids.is_some() {
            return Err(only_deputies("station_ids"));
        }
    }
    let stations = body.station_ids.map(deputy_stations).transpose()?;
    if let Some(stations) = &stations {
        let region = current
            .region_path
            .as_ref()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("deputy without region")))?;
        check_stations(&mut conn, region, stations).await?;
    }
    let hash = match password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let changes = UserChanges {
        name: name.as_ref().map(PersonName::as_str),
        phone: phone.as_ref().map(Phone::as_str),
        password_hash: hash.as_deref(),
        enabled: body.enabled,
        deputy_level: body.deputy_level.map(DeputyLevel::as_str),
    };
    let phone_changed = phone
        .as_ref()
        .is_some_and(|p| current.row.phone.as_deref() != Some(p.as_str()));
    let ends = SessionEnd::of_change(hash.is_some(), phone_changed, body.enabled);
    let user = infra::db::users::update(&mut conn, current.row.id, &changes, stations.as_deref(), ends).await?;
    tracing::info!(user_id = %user.row.id, by = %auth.actor.user_id, "account changed");
    Ok(HttpResponse::Ok().json(User::view(user, &auth.actor)))
}
