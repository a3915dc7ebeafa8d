use super::{deliver, TokenDelivery, TokenResponse};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::auth::client_ip::client_ip;
use crate::auth::session::{self, Method};
use crate::auth::sign_in_limit;
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use domain::organisation::user::Phone;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordSignIn {
    #[schema(example = "13900000001")]
    pub phone: String,
    #[schema(example = "minsheng-demo-2026", max_length = 128)]
    pub password: String,
    /// Where to hand over the refresh token: in the answer (default) or, for a browser, in an HttpOnly cookie.
    #[serde(default)]
    pub refresh_token_in: TokenDelivery,
}

/// Sign in with phone and password (deputies, handlers, staff, admins).
///
/// A wrong phone and a wrong password answer the same, in the same time, so accounts cannot be discovered.
/// Wrong attempts are limited per phone number and all attempts per client address (`429` with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = PasswordSignIn,
    responses(
        (status = 200, body = TokenResponse, description = "Signed in; with `refresh_token_in: cookie` the refresh token comes as the `minsheng_refresh` cookie instead of in the body"),
        (status = 401, description = "Wrong phone or password, or the account is disabled", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this phone or from this address", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password")]
pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<PasswordSignIn>,
) -> AppResult<HttpResponse> {
    let PasswordSignIn {
        phone,
        password,
        refresh_token_in,
    } = body.0;
    let phone = Phone::parse(&phone).ok();
    let attempt = sign_in_limit::begin(
        &state,
        phone.as_ref().map_or("", Phone::as_str),
        &client_ip(&req, state.config.trust_forwarded_for),
    )
    .await?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let account = match &phone {
        Some(phone) => infra::db::users::find_by_phone(&mut conn, phone.as_str()).await?,
        None => None,
    };
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = tokio::task::spawn_blocking(move || infra::password::verify(&password, stored.as_deref()))
        .await
        .map_err(AppError::internal)?;
    let Some(account) = account.filter(|_| matches) else {
        attempt.failed(&state).await;
        return Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "phone or password is wrong",
        ));
    };
    if !account.enabled {
        return Err(AppError::account_disabled());
    }
    let tokens = session::start(&state, &mut conn, account.id, &account.role, Method::Password).await?;
    tracing::info!(user_id = %account.id, "signed in with password");
    deliver(&mut conn, &state.config, tokens, refresh_token_in).await
}
