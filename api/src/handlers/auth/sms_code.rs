//! `POST /auth/sms/code`: text a sign-in code to a phone (the citizens' phone web pages).

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::auth::client_ip::client_ip;
use crate::counters;
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use domain::organisation::user::Phone;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;
use utoipa::ToSchema;

/// How long a code works, how soon another may be sent, and how many a phone and an address get.
pub const CODE_MINUTES: u32 = 5;
const RESEND_SECONDS: u64 = 60;
const PER_PHONE_A_DAY: u64 = 10;
const PER_ADDRESS_AN_HOUR: u64 = 20;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// A mainland mobile number.
    #[schema(example = "13812345678", max_length = 11)]
    pub phone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeSent {
    /// Seconds the code works.
    #[schema(example = 300)]
    pub expires_in: u64,
    /// Seconds before another code may be asked for this phone.
    #[schema(example = 60)]
    pub resend_in: u64,
}

/// Where a phone's code and counters are kept: a hash, never the number.
#[must_use]
pub fn phone_hash(phone: &Phone) -> Vec<u8> {
    Sha256::digest(format!("minsheng sms phone\0{}", phone.as_str()).as_bytes()).to_vec()
}

/// Where a code is kept: a hash bound to its phone.
#[must_use]
pub fn code_hash(phone: &Phone, code: &str) -> Vec<u8> {
    Sha256::digest(format!("minsheng sms code\0{}\0{code}", phone.as_str()).as_bytes()).to_vec()
}

/// Text messages are not set up on this server.
#[must_use]
pub fn not_configured() -> AppError {
    AppError::new(
        ErrorCode::SmsNotConfigured,
        "this server sends no text messages; sign in from the WeChat mini-program",
    )
}

fn too_many(retry_after: u64, what: &str) -> AppError {
    let mut e = AppError::new(
        ErrorCode::RateLimited,
        format!("{what}; try again in {retry_after} seconds"),
    );
    e.retry_after = Some(retry_after.max(1));
    e
}

/// Text a six-digit sign-in code to a phone (citizens, on the phone web pages; the mini-program signs in with
/// WeChat). Against SMS bombing: one code a minute per phone, ten a day per phone, twenty an hour per client
/// address (429 with `Retry-After`). A number that belongs to a staff, deputy or handler account gets no text — they
/// sign in with a password — but the answer is the same, so it says nothing of who holds a number.
#[utoipa::path(tag = "auth", request_body = CodeRequest,
    responses((status = 200, body = CodeSent),
        (status = 429, description = "Too soon, or too many for this phone or address", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Text messages are not configured, or the provider is not answering", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/auth/sms/code")]
pub async fn send_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<CodeRequest>,
) -> AppResult<HttpResponse> {
    let phone = Phone::parse(&body.0.phone)?;
    let sms = state.sms.as_ref().ok_or_else(not_configured)?;
    let hash = phone_hash(&phone);
    let address = client_ip(&req, state.config.trust_forwarded_for);
    let hour = Duration::from_secs(3600);
    let (from_address, wait) = counters::hit(&state, &format!("sms:ip:{address}"), hour, "sms").await;
    if from_address > PER_ADDRESS_AN_HOUR {
        return Err(too_many(wait, "too many codes asked from this address"));
    }
    let day = Duration::from_secs(86_400);
    let (to_phone, wait) = counters::hit(
        &state,
        &format!("sms:phone:{}", infra::encoding::hex(&hash)),
        day,
        "sms",
    )
    .await;
    if to_phone > PER_PHONE_A_DAY {
        return Err(too_many(wait, "too many codes for this phone today"));
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    let now = chrono::Utc::now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let holder = infra::db::users::find_by_phone(&mut conn, phone.as_str()).await?;
    let answer = CodeSent {
        expires_in: u64::from(CODE_MINUTES) * 60,
        resend_in: RESEND_SECONDS,
    };
    if holder.is_some_and(|u| u.role != "citizen") {
        return Ok(HttpResponse::Ok().json(answer));
    }
    let kept = infra::db::sms_codes::keep(
        &mut conn,
        &hash,
        &code_hash(&phone, &code),
        now,
        now + chrono::Duration::minutes(i64::from(CODE_MINUTES)),
        now - chrono::Duration::seconds(i64::try_from(RESEND_SECONDS).unwrap_or(60)),
    )
    .await?;
    if !kept {
        return Err(too_many(RESEND_SECONDS, "a code was sent to this phone a moment ago"));
    }
    if let Err(e) = sms
        .send_code(phone.as_str(), &code, CODE_MINUTES, now.timestamp())
        .await
    {
        // Not sent: forget it, so the person may ask again at once.
        infra::db::sms_codes::forget(&mut conn, &hash).await?;
        tracing::warn!(error = %e, "a sign-in code could not be texted");
        return Err(match e {
            infra::sms::SmsError::NumberLimited(_) => too_many(3600, "the SMS provider limits texts to this phone"),
            _ => AppError::unavailable("the SMS provider", Some(e.into())),
        });
    }
    Ok(HttpResponse::Ok().json(answer))
}
