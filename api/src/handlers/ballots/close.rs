use super::read::Results;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use uuid::Uuid;

/// Close a ballot and tally it, once (staff of its region): after its closing time, or earlier once every deputy
/// on the roster has cast. The papers are then rewritten in receipt order (so not even the database's row order
/// keeps when they came), the results are published, and the elected projects' milestones start as deadlines.
#[utoipa::path(tag = "ballots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ballot")),
    responses((status = 200, body = Results)))]
#[post("/ballots/{id}/close")]
pub async fn close(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let answer = app::ballots::commands::close(&state, auth.caller(), *id, |results| {
        Answer::json(&auth, StatusCode::OK, None, &results)
    })
    .await?;
    Ok(answer.respond())
}
