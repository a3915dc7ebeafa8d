//! `POST /issues/{id}/key-supervision`: 挂牌督办.

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::issues::command::{optional_note, run, CommandErrors};
use crate::handlers::issues::cosign::OptionalNote;
use crate::handlers::issues::IssueView;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use uuid::Uuid;

/// 挂牌督办: mark the issue for key supervision. Its open deadlines turn yellow sooner (`MINSHENG_KEY_WARN_SHARE`,
/// default half the time) and staff hear again sooner once overdue.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = OptionalNote,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/key-supervision")]
pub async fn key_supervision(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<OptionalNote>,
) -> AppResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    run(&state, &auth, *id, Command::KeySupervision, note.as_deref()).await
}
