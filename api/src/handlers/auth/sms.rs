//! `POST /auth/sms`: sign in with a texted code (citizens on the phone web pages).

use super::{deliver, TokenDelivery, TokenResponse};
use crate::app;
use crate::app::error::AppResult;
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsSignIn {
    #[schema(example = "13812345678", max_length = 11)]
    pub phone: String,
    /// The six digits texted by `POST /auth/sms/code`.
    #[schema(example = "042917", max_length = 6)]
    pub code: String,
    /// Where to hand over the refresh token: in the answer (default) or, for a browser, in an HttpOnly cookie.
    #[serde(default)]
    pub refresh_token_in: TokenDelivery,
    /// The scene of the QR code the citizen scanned with their phone's camera (`/s/{scene}`), if any, as for
    /// `POST /auth/wechat`: a station's or deputy's decides where their next reports go; every one is remembered as
    /// scanned (following a deputy, rating a project need it).
    #[schema(max_length = 32)]
    pub scene: Option<String>,
}

/// Sign in with a texted code (citizens). The same citizen whichever way they came: the account that holds the
/// number — one made through WeChat that bound it (`POST /me/phone`), or one made here before — or a new citizen's.
/// A code works once, for five minutes and five tries; staff, deputies and handlers sign in with a password.
#[utoipa::path(tag = "auth", request_body = SmsSignIn,
    responses((status = 200, body = TokenResponse, description = "Signed in"),
        (status = 401, description = "The code is wrong, used, expired or spent, or the account is disabled", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed phone, or a scene that leads nowhere", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Text messages are not configured", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/auth/sms")]
pub async fn sign_in(state: web::Data<AppState>, body: Json<SmsSignIn>) -> AppResult<HttpResponse> {
    let SmsSignIn {
        phone,
        code,
        refresh_token_in,
        scene,
    } = body.0;
    let signed = app::sign_in::with_texted_code(&state, &phone, &code, scene.as_deref()).await?;
    Ok(deliver(&state.config, signed, refresh_token_in))
}
