//! `POST /issues/{id}/urge`: 催办.

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::issues::command::{optional_note, run, CommandErrors};
use crate::handlers::issues::cosign::OptionalNote;
use crate::handlers::issues::IssueView;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use uuid::Uuid;

/// 催办: press the lead agency while it holds the issue. Its handlers are told at once (in-app and webhook). One
/// person may urge one issue once per `MINSHENG_URGE_EVERY_HOURS` (default 24): sooner answers 429 `rate_limited`.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = OptionalNote,
    responses((status = 200, body = IssueView), (status = 429, body = crate::problem::Problem,
        content_type = "application/problem+json"), CommandErrors))]
#[post("/issues/{id}/urge")]
pub async fn urge(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<OptionalNote>,
) -> AppResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    run(&state, &auth, *id, Command::Urge, note.as_deref()).await
}
