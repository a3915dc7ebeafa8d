//! `POST /auth/sms`: sign in with a texted code (citizens on the phone web pages).

use super::sms_code::{code_hash, not_configured, phone_hash};
use super::{deliver, TokenDelivery, TokenResponse};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::sign_in::{citizen, Citizen, SignedIn};
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::user::Phone;
use infra::db::sms_codes::Presented;
use serde::Deserialize;
use utoipa::ToSchema;

/// Tries a code gets before it stops working.
const TRIES: i32 = 5;

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
    if state.sms.is_none() {
        return Err(not_configured());
    }
    let phone = Phone::parse(&phone)?;
    let wrong = || {
        AppError::new(
            ErrorCode::InvalidLoginCode,
            "the code is wrong, used or expired; ask for a new one",
        )
        .with_field("code")
    };
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong());
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let scanned = crate::app::scenes::scanned(&mut conn, scene.as_deref()).await?;
    let presented = infra::db::sms_codes::present(
        &mut conn,
        &phone_hash(&phone),
        &code_hash(&phone, code),
        chrono::Utc::now(),
        TRIES,
    )
    .await?;
    match presented {
        Presented::Right => {}
        Presented::Wrong => return Err(wrong()),
        Presented::Spent => {
            return Err(AppError::new(
                ErrorCode::InvalidLoginCode,
                "this code was tried too often and no longer works; ask for a new one",
            )
            .with_field("code"))
        }
    }
    let SignedIn { tokens, created } = citizen(&state, &mut conn, Citizen::Phone(&phone), scanned.as_ref())
        .await?
        .ok_or_else(wrong)?;
    tracing::info!(user_id = %tokens.user, created, "signed in with a texted code");
    deliver(&mut conn, &state.config, tokens, refresh_token_in).await
}
