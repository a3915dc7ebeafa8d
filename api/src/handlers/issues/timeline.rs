use super::TimelineEvent;
use crate::app::error::AppResult;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// Every event the caller may see, oldest first.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<TimelineEvent>),
    )
)]
#[get("/issues/{id}/timeline")]
pub async fn timeline(state: web::Data<AppState>, reader: Reader, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::issues::timeline::timeline(&state, reader.holder(), *id).await?))
}
