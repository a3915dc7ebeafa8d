use super::command::{required_note, run, CommandErrors};
use super::decline::ReasonBody;
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use uuid::Uuid;

/// 退回: the lead agency sends a routed issue back to triage, saying why (not ours, wrong place).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = ReasonBody,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/send-back")]
pub async fn send_back(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<ReasonBody>,
) -> AppResult<HttpResponse> {
    let reason = required_note(&body.reason, "reason")?;
    run(&state, &auth, *id, Command::SendBack, Some(&reason)).await
}
