use super::{hash_password, resolve, User};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::user::{Binding, Password, PersonName, Phone};
use domain::permission::AdminScope;
use domain::role::{DeputyLevel, Role};
use infra::db::users::NewUser;
use infra::db::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A new account. Which of the binding fields are needed depends on the role:
/// staff `region_code`; deputies `region_code`, `deputy_level`, `station_ids`; handlers `agency_id`; admins none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub role: Role,
    #[schema(example = "王建国", max_length = 40)]
    pub name: String,
    #[schema(example = "13900000031")]
    pub phone: String,
    /// At least 10 characters, mixing letters with digits or symbols.
    #[schema(max_length = 128)]
    pub password: String,
    pub region_code: Option<String>,
    pub agency_id: Option<Uuid>,
    pub deputy_level: Option<DeputyLevel>,
    pub station_ids: Option<Vec<Uuid>>,
}

/// Create an account. Staff create staff, deputies and handlers inside their subtree; admins create anyone but citizens.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, body = User, headers(("Location" = String))),
        (status = 404, description = "The region or agency named does not exist within the caller's scope", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The phone is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateUser>) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let body = body.0;
    scope.may_grant(body.role)?;
    let name = PersonName::parse(&body.name)?;
    let phone = Phone::parse(&body.phone)?;
    let password = Password::parse(body.password)?;
    let binding = Binding::parse(
        body.role,
        body.region_code,
        body.agency_id,
        body.deputy_level,
        body.station_ids,
    )?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let resolved = resolve(&mut conn, &scope, binding).await?;
    let hash = hash_password(password).await?;
    let new = NewUser {
        id: Uuid::now_v7(),
        role: body.role.as_str(),
        name: name.as_str(),
        phone: Some(phone.as_str()),
        password_hash: Some(&hash),
        region_code: resolved.region_code.as_deref(),
        agency_id: resolved.agency_id,
        deputy_level: resolved.deputy_level.map(DeputyLevel::as_str),
    };
    let answer = conn
        .transaction(async |conn| {
            let user = infra::db::users::insert(conn, &new, &resolved.stations).await?;
            tracing::info!(user_id = %user.row.id, role = %body.role, by = %auth.actor.user_id, "account created");
            let answer = Answer::created(
                &auth,
                format!("/api/v1/users/{}", user.row.id),
                &User::view(user, &auth.actor),
            )?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
