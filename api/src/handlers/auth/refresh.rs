use super::{token_response, TokenResponse};
use crate::auth::session;
use crate::error::ApiResult;
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Trade a refresh token for new tokens (any role).
///
/// Each refresh token works once; the answer carries its successor. Presenting a spent one ends the whole session,
/// because only a copied token can be presented twice.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token, or a disabled account", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<web::Json<TokenResponse>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let tokens = session::refresh(&state, &mut conn, body.0.refresh_token.trim()).await?;
    Ok(web::Json(token_response(&mut conn, tokens).await?))
}
