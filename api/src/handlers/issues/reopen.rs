use super::command::{required_note, run, CommandErrors};
use super::decline::ReasonBody;
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use uuid::Uuid;

/// 重办: reopen a replied or closed issue for another round, while rounds remain (staff, station deputies).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = ReasonBody,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/reopen")]
pub async fn reopen(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<ReasonBody>,
) -> AppResult<HttpResponse> {
    let reason = required_note(&body.reason, "reason")?;
    run(&state, &auth, *id, Command::Reopen, Some(&reason)).await
}
