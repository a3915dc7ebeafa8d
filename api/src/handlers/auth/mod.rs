//! Signing in, refreshing and signing out. Every sign-in answers like an OAuth 2 token endpoint.

pub mod logout;
pub mod password;
pub mod refresh;
pub mod wechat;

use crate::auth::session::Tokens;
use crate::error::ApiResult;
use crate::handlers::me::Me;
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;

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
    /// Opaque; trade it at `/api/v1/auth/refresh` for new tokens. Each one works once.
    pub refresh_token: String,
    /// Seconds until the refresh token expires if it is not used.
    #[schema(example = 2_592_000)]
    pub refresh_token_expires_in: u64,
    pub user: Me,
}

/// The token response for `tokens`, with the caller's profile.
pub async fn token_response(conn: &mut PgConn, tokens: Tokens) -> ApiResult<TokenResponse> {
    let user = crate::handlers::me::profile(conn, tokens.user).await?;
    Ok(TokenResponse {
        access_token: tokens.access_token,
        token_type: "Bearer",
        expires_in: tokens.expires_in,
        refresh_token: tokens.refresh_token,
        refresh_token_expires_in: tokens.refresh_token_expires_in,
        user,
    })
}
