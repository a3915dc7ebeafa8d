//! `GET /photos/{id}/wechat-check`: where WeChat's content check fetches a citizen's photo it was asked to judge.

use super::Jpeg;
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CheckLink {
    /// Unix seconds after which the link stops working (an hour after it was made).
    pub expires: i64,
    /// The service's signature of the photo and `expires` (hex).
    #[param(max_length = 128)]
    pub signature: String,
}

/// The picture for WeChat's content check, without signing in: the link the service sent to
/// `/wxa/media_check_async` is signed, works for an hour, and only while the photo waits for WeChat's verdict.
/// Any other request is a 404.
#[utoipa::path(tag = "photos", params(("id" = Uuid, Path, description = "The photo"), CheckLink),
    responses((status = 200, body = Jpeg, content_type = "image/jpeg"),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/photos/{id}/wechat-check")]
pub async fn wechat_check(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    q: Query<CheckLink>,
) -> AppResult<HttpResponse> {
    let stored = crate::app::photos::for_check(&state, *id, q.expires, &q.signature).await?;
    Ok(super::send(stored, "no-store"))
}
