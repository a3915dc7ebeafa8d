use super::User;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::user::{Binding, Password, PersonName, Phone};
use domain::role::{DeputyLevel, Role};
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
        (status = 404, description = "The region or agency named does not exist within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The phone is taken", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateUser>) -> AppResult<HttpResponse> {
    let body = body.0;
    let new = app::accounts::NewAccount {
        role: body.role,
        name: PersonName::parse(&body.name)?,
        phone: Phone::parse(&body.phone)?,
        password: Password::parse(body.password)?,
        binding: Binding::parse(
            body.role,
            body.region_code,
            body.agency_id,
            body.deputy_level,
            body.station_ids,
        )?,
    };
    let answer = app::accounts::add(&state, auth.caller(), new, |user| {
        let location = format!("/api/v1/users/{}", user.row.id);
        Answer::created(&auth, location, &User::view(user, &auth.actor))
    })
    .await?;
    Ok(answer.respond())
}
