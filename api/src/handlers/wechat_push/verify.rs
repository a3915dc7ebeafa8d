//! `GET /wechat/push`: WeChat checks the address when a county saves the message push settings.

use super::{verified, Signed};
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct Echo {
    /// A random string WeChat expects back, as it is, when the signature holds.
    #[param(max_length = 128)]
    pub echostr: String,
}

/// WeChat's check of the push address: the `echostr` back when the signature holds.
#[utoipa::path(tag = "notifications", params(Signed, Echo),
    responses((status = 200, body = String, content_type = "text/plain"),
        (status = 401, body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/wechat/push")]
pub async fn verify(state: web::Data<AppState>, signed: Query<Signed>, echo: Query<Echo>) -> AppResult<HttpResponse> {
    verified(&state, &signed.0)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(echo.0.echostr))
}
