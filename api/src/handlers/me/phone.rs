//! `POST /me/phone`: a citizen binds the phone number they confirmed in WeChat, for call-backs (回访).

use super::{profile, Me};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::organisation::user::Phone;
use infra::db::AsyncConnection;
use infra::wechat::WeChatError;
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
        (status = 409, description = "Another account holds this number", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "WeChat is not configured or not answering", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/me/phone")]
pub async fn bind(state: web::Data<AppState>, auth: AuthUser, body: Json<PhoneCode>) -> ApiResult<HttpResponse> {
    domain::permission::may_bind_phone(&auth.actor)?;
    let code = domain::text::bounded("code", &body.0.code, 1, 128)?;
    let wechat = state.wechat.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::WeChatNotConfigured,
            "WeChat is not configured on this server, so a phone number cannot be confirmed through it",
        )
    })?;
    let phone = wechat.phone_number(&code).await.map_err(|e| match e {
        WeChatError::InvalidCode { .. } => ApiError::rule(
            "code",
            "invalid_phone_code",
            "WeChat does not recognise this code (each works once, for five minutes); ask for the number again",
        ),
        other => ApiError::from(other),
    })?;
    if phone.country_code != "86" {
        return Err(ApiError::rule(
            "code",
            "not_mainland",
            "only mainland mobile numbers can be called back",
        ));
    }
    let phone = Phone::parse(&phone.number).map_err(|e| e.at("code"))?;
    let user = auth.actor.user_id;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let answer = conn
        .transaction(async |conn| {
            infra::db::users::bind_phone(conn, user, phone.as_str(), now).await?;
            let me = profile(conn, user).await?;
            let answer = Answer::json(&auth, StatusCode::OK, None, &me)?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    tracing::info!(user_id = %user, "a citizen bound a phone number");
    Ok(answer.respond())
}
