use super::IssueView;
use crate::app::error::AppResult;
use crate::app::issues::command::current_view;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// The issue, its open deadlines, and what the caller may do with it now (`allowed_actions`).
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    responses(
        (status = 200, body = IssueView),
    )
)]
#[get("/issues/{id}")]
pub async fn get(state: web::Data<AppState>, reader: Reader, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    // The caller is read beside the issue: one wait on the database.
    Ok(HttpResponse::Ok().json(current_view(&state, reader.holder(), *id).await?))
}
