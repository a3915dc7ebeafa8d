//! `GET /public/issues/{id}`: one public result.

use crate::app::error::{AppError, AppResult};
use crate::app::publication::PublicIssue;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use infra::db::stats::PublicFilter;
use uuid::Uuid;

/// One public result. Issues not in the public results (not yet replied, declined, withheld) answer 404.
#[utoipa::path(tag = "public",
    responses(
        (status = 200, body = PublicIssue),
    ))]
#[get("/public/issues/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::stats::public(&mut conn, &PublicFilter::default(), Some(*id), 1, state.clock.now())
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("issue"))?;
    Ok(HttpResponse::Ok().json(PublicIssue::of(&row)))
}
