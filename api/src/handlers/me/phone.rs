//! `POST /me/phone`: a citizen binds the phone number they confirmed in WeChat, for call-backs (回访).

use super::Me;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneCode {
    /// The code the mini-program's `<button open-type="getPhoneNumber">` gave (`e.detail.code`): it works once, for
    /// five minutes.
    #[schema(
        max_length = 128,
        example = "e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144"
    )]
    pub code: String,
}

/// Bind the phone number the citizen confirmed in WeChat to their account (citizens), so that staff can call back
/// (回访). WeChat vouches for the number (`/wxa/business/getuserphonenumber`); it is shown whole to the citizen and
/// to admins, masked to everyone else, as every phone is.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = PhoneCode,
    responses((status = 200, body = Me),
        (status = 409, description = "Another account holds this number", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "WeChat is not configured or not answering", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/me/phone")]
pub async fn bind(state: web::Data<AppState>, auth: AuthUser, body: Json<PhoneCode>) -> AppResult<HttpResponse> {
    let answer = app::me::bind_phone(&state, auth.caller(), &body.code, |me| {
        Answer::json(&auth, StatusCode::OK, None, &me)
    })
    .await?;
    Ok(answer.respond())
}
