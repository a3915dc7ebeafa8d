use super::command::{optional_note, run, CommandErrors};
use super::cosign::OptionalNote;
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use uuid::Uuid;

/// 转为代表建议: a deputy involved converts the issue into a formal suggestion (answered within the suggestion
/// deadline, three months by law).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = OptionalNote,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/convert")]
pub async fn convert(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<OptionalNote>,
) -> AppResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    run(&state, &auth, *id, Command::Convert, note.as_deref()).await
}
