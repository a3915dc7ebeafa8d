//! `POST /outbox/{id}/retry`: queue a dead letter again, from its first attempt (admins, once the receiving end is fixed).

use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use uuid::Uuid;

/// Queue a dead letter again, from its first attempt (admins, once the receiving end is fixed).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/outbox/{id}/retry")]
pub async fn retry(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let answer = app::notifications::revive(&state, auth.caller(), *id, |()| Ok(Answer::empty(&auth))).await?;
    Ok(answer.respond())
}
