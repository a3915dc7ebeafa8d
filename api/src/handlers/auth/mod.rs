//! Signing in, refreshing and signing out. Every sign-in answers like an OAuth 2 token endpoint.

pub mod logout;
pub mod password;
pub mod refresh;
pub mod sms;
pub mod sms_code;
pub mod wechat;

use crate::app::people::Me;
use crate::app::sign_in::Signed;
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};
use infra::config::Config;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The cookie a browser keeps its refresh token in when it asks for `refresh_token_in: cookie`.
pub const REFRESH_COOKIE: &str = "minsheng_refresh";
/// Sent only to the endpoints that trade or end it.
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// Where the refresh token is handed over.
///
/// `body` (the default) suits apps that keep secrets in the platform's store. A browser asks for `cookie`: the token
/// then travels in an `HttpOnly`, `SameSite=Strict` cookie scoped to `/api/v1/auth`, which the page's scripts —
/// and so an injected script — cannot read, and which no other site can make the browser send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenDelivery {
    #[default]
    Body,
    Cookie,
}

/// What a sign-in or a refresh answers, shaped like an OAuth 2 token response (RFC 6749 §5.1), plus the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// Opaque; trade it at `/api/v1/auth/refresh` for new tokens. Each one works once. Absent when it was handed
    /// over in the `minsheng_refresh` cookie instead (`refresh_token_in: cookie`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Seconds until the refresh token expires if it is not used.
    #[schema(example = 2_592_000)]
    pub refresh_token_expires_in: u64,
    pub user: Me,
}

/// The token response for someone signed in, with who they are.
#[must_use]
pub fn token_response(signed: Signed) -> TokenResponse {
    let Signed { tokens, user } = signed;
    TokenResponse {
        access_token: tokens.access_token,
        token_type: "Bearer",
        expires_in: tokens.expires_in,
        refresh_token: Some(tokens.refresh_token),
        refresh_token_expires_in: tokens.refresh_token_expires_in,
        user,
    }
}

/// The answer to a sign-in or a refresh, with the refresh token where the caller asked for it.
#[must_use]
pub fn deliver(config: &Config, signed: Signed, delivery: TokenDelivery) -> HttpResponse {
    let mut body = token_response(signed);
    let mut res = HttpResponse::Ok();
    if delivery == TokenDelivery::Cookie {
        if let Some(token) = body.refresh_token.take() {
            res.cookie(refresh_cookie(
                config,
                token,
                time::Duration::seconds(i64::try_from(body.refresh_token_expires_in).unwrap_or(i64::MAX)),
            ));
        }
    }
    // Tokens are never to be kept by a cache between the service and the caller.
    res.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    res.json(body)
}

/// The refresh cookie the browser sent, if any.
#[must_use]
pub fn refresh_from_cookie(req: &HttpRequest) -> Option<String> {
    req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned())
}

/// A cookie that makes the browser forget its refresh token.
#[must_use]
pub fn forget_refresh_cookie(config: &Config) -> Cookie<'static> {
    refresh_cookie(config, String::new(), time::Duration::ZERO)
}

fn refresh_cookie(config: &Config, value: String, max_age: time::Duration) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(config.public_url.starts_with("https://"))
        .max_age(max_age)
        .finish()
}
