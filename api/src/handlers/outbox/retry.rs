//! `POST /outbox/{id}/retry`: queue a dead letter again, from its first attempt (admins, once the receiving end is fixed).

use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::permission::may_see_outbox;
use infra::db::AsyncConnection;
use uuid::Uuid;

/// Queue a dead letter again, from its first attempt (admins, once the receiving end is fixed).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/outbox/{id}/retry")]
pub async fn retry(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    may_see_outbox(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let now = state.clock.now();
    let answer = conn
        .transaction(async |conn| {
            if !infra::db::outbox::revive(conn, *id, now).await? {
                return Err(ApiError::not_found("dead letter"));
            }
            let answer = Answer::empty(&auth);
            answer.keep(conn).await?;
            Ok(answer)
        })
        .await?;
    Ok(answer.respond())
}
