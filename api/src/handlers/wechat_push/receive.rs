//! `POST /wechat/push`: what WeChat pushes; today the verdicts of its asynchronous picture check.

use super::{verified, Signed};
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};

/// A push from WeChat (JSON, 明文模式). `wxa_media_check` events carry the verdict on a citizen's photo sent to
/// `media_check_async`: `risky` withholds the photo from every public answer and holds its issue for staff to review
/// (out of the public results until published); `review` marks the photo for a person to look at; `pass` clears it.
/// Other events are acknowledged and left alone. WeChat is answered `success`, as it asks.
#[utoipa::path(tag = "notifications", params(Signed),
    request_body(content = String, content_type = "application/json", description = "WeChat's push, as WeChat sends it"),
    responses((status = 200, body = String, content_type = "text/plain"),
        (status = 401, body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/wechat/push")]
pub async fn receive(state: web::Data<AppState>, signed: Query<Signed>, body: web::Bytes) -> AppResult<HttpResponse> {
    verified(&state, &signed.0)?;
    let push: serde_json::Value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    if push["Event"] == "wxa_media_check" {
        if let (Some(trace_id), Some(suggest)) = (push["trace_id"].as_str(), push["result"]["suggest"].as_str()) {
            crate::app::photos::record_verdict(&state, trace_id, suggest).await?;
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("success"))
}
