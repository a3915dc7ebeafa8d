use super::{token_response, TokenResponse};
use crate::app;
use crate::app::error::AppResult;
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeChatSignIn {
    /// The code `wx.login()` returned; it works once.
    #[schema(example = "0a3Xyz000abcDE1ABCDE2000AbCd3Xyz")]
    pub code: String,
    /// The scene of the QR code the citizen scanned (from the mini-program's launch options), if any:
    /// their next reports go to its station or deputy.
    #[schema(example = "k7mq2xw9adf3hn4rtp8e")]
    pub scene: Option<String>,
}

/// Sign in a citizen with WeChat: `wx.login()` code → `jscode2session` → tokens.
///
/// The first sign-in of a WeChat user makes their citizen account. A scene that no longer leads anywhere is refused
/// before WeChat is asked, so the code is not spent.
#[utoipa::path(
    tag = "auth",
    request_body = WeChatSignIn,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "WeChat refused the code (invalid or used), or the account is disabled", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed code, or a scene that leads nowhere", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "WeChat is limiting requests", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "WeChat is not answering, or not configured", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/wechat")]
pub async fn sign_in(state: web::Data<AppState>, body: Json<WeChatSignIn>) -> AppResult<HttpResponse> {
    let signed = app::sign_in::with_wechat(&state, &body.code, body.scene.as_deref()).await?;
    Ok(HttpResponse::Ok().json(token_response(signed)))
}
