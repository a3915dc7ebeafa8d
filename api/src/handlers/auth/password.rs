use super::TokenResponse;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::Json;
use crate::handlers::users::User;
use crate::state::AppState;
use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordSignIn {
    #[schema(example = "13900000001")]
    pub phone: String,
    #[schema(example = "minsheng-demo-2026")]
    pub password: String,
}

/// Sign in with phone and password (deputies, handlers, staff, admins).
///
/// A wrong phone and a wrong password answer the same, in the same time, so accounts cannot be discovered.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordSignIn,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Wrong phone or password, or the account is disabled", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password")]
pub async fn sign_in(state: web::Data<AppState>, body: Json<PasswordSignIn>) -> ApiResult<web::Json<TokenResponse>> {
    let PasswordSignIn { phone, password } = body.0;
    let wrong = || ApiError::new(ErrorCode::InvalidCredentials, "phone or password is wrong");
    let account = match domain::organisation::user::Phone::parse(&phone) {
        Ok(phone) => {
            let mut conn = infra::db::pool::conn(&state.db).await?;
            infra::db::users::find_by_phone(&mut conn, phone.as_str()).await?
        }
        Err(_) => None,
    };
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = tokio::task::spawn_blocking(move || infra::password::verify(&password, stored.as_deref()))
        .await
        .map_err(ApiError::internal)?;
    let account = account.filter(|_| matches).ok_or_else(wrong)?;
    if !account.enabled {
        return Err(ApiError::new(
            ErrorCode::AccountDisabled,
            "this account has been disabled",
        ));
    }
    let token = state.jwt.issue(account.id, &account.role).map_err(ApiError::internal)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = infra::db::users::find(&mut conn, account.id).await?.ok_or_else(wrong)?;
    tracing::info!(user_id = %account.id, "signed in with password");
    Ok(web::Json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().as_secs(),
        user: User::from(user),
    }))
}
