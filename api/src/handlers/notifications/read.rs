//! `POST /notifications/{id}/read`: mark one of the caller's notifications read (again is fine).

use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use uuid::Uuid;

/// Mark one of the caller's notifications read (again is fine).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/notifications/{id}/read")]
pub async fn read(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let answer = app::notifications::mark_read(&state, auth.caller(), *id, |()| Ok(Answer::empty(&auth))).await?;
    Ok(answer.respond())
}
