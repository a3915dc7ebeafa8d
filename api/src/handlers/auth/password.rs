use super::{deliver, TokenDelivery, TokenResponse};
use crate::app;
use crate::app::error::AppResult;
use crate::auth::client_ip::client_ip;
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
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
    let address = client_ip(&req, state.config.trust_forwarded_for);
    let signed = app::sign_in::with_password(&state, &phone, password, &address).await?;
    Ok(deliver(&state.config, signed, refresh_token_in))
}
