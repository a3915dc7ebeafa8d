use super::{deliver, forget_refresh_cookie, refresh_from_cookie, TokenDelivery, TokenResponse};
use crate::app;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse, ResponseError};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token; leave it out when it lives in the `minsheng_refresh` cookie (a browser's).
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// Trade a refresh token for new tokens (any role).
///
/// Each refresh token works once; the answer carries its successor. Presenting a spent one ends the whole session,
/// because only a copied token can be presented twice. A token sent in the body is answered in the body; one from
/// the `minsheng_refresh` cookie is answered with its successor in that cookie.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse, description = "New tokens; the refresh token where the old one came from (the body, or the `minsheng_refresh` cookie)"),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token, or a disabled account", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<RefreshRequest>,
) -> AppResult<HttpResponse> {
    let (token, delivery) = match body.0.refresh_token {
        Some(token) => (token, TokenDelivery::Body),
        None => match refresh_from_cookie(&req) {
            Some(token) => (token, TokenDelivery::Cookie),
            None => {
                return Err(AppError::new(
                    ErrorCode::InvalidRefreshToken,
                    "send refresh_token in the body, or sign in again to get a refresh cookie",
                )
                .with_field("refresh_token"))
            }
        },
    };
    match app::sign_in::renew(&state, &token).await {
        Ok(signed) => Ok(deliver(&state.config, signed, delivery)),
        // A cookie that no longer works is dropped, so the browser stops sending it.
        Err(e) if delivery == TokenDelivery::Cookie => {
            let mut res = e.error_response();
            res.add_cookie(&forget_refresh_cookie(&state.config))
                .map_err(AppError::internal)?;
            Ok(res)
        }
        Err(e) => Err(e),
    }
}
