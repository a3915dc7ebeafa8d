//! `POST /auth/sms/code`: text a sign-in code to a phone (the citizens' phone web pages).

use crate::app;
use crate::app::error::AppResult;
use crate::app::sign_in::{CODE_MINUTES, RESEND_SECONDS};
use crate::auth::client_ip::client_ip;
use crate::extract::Json;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    let address = client_ip(&req, state.config.trust_forwarded_for);
    app::sign_in::text_code(&state, &body.phone, &address).await?;
    Ok(HttpResponse::Ok().json(CodeSent {
        expires_in: u64::from(CODE_MINUTES) * 60,
        resend_in: RESEND_SECONDS,
    }))
}
