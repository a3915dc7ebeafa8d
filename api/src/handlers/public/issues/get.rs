//! `GET /public/issues/{id}`: one public result.

use crate::app::error::AppResult;
use crate::app::publication::PublicIssue;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// One public result. Issues not in the public results (not yet replied, declined, withheld) answer 404.
#[utoipa::path(tag = "public",
    responses(
        (status = 200, body = PublicIssue),
    ))]
#[get("/public/issues/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::publication::issue(&state, *id).await?))
}
