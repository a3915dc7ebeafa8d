use super::command::{optional_note, run, CommandErrors};
use super::cosign::OptionalNote;
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use uuid::Uuid;

/// 签收: the lead agency takes on a routed issue; its reply deadline starts.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = OptionalNote,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/sign")]
pub async fn sign(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<OptionalNote>,
) -> AppResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    run(&state, &auth, *id, Command::Sign, note.as_deref()).await
}
