//! `POST /notifications/{id}/read`: mark one of the caller's notifications read (again is fine).

use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use infra::db::AsyncConnection;
use uuid::Uuid;

/// Mark one of the caller's notifications read (again is fine).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/notifications/{id}/read")]
pub async fn read(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let now = state.clock.now();
    let answer = conn
        .transaction(async |conn| {
            if !infra::db::notifications::mark_read(conn, auth.actor.user_id, *id, now).await? {
                return Err(ApiError::not_found("notification"));
            }
            let answer = Answer::empty(&auth);
            answer.keep(conn).await?;
            Ok(answer)
        })
        .await?;
    Ok(answer.respond())
}
