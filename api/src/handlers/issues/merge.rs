use super::command::{optional_note, run, CommandErrors};
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// The issue this one duplicates; it must be visible to the caller and still open.
    pub into: Uuid,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Fold a duplicate into another issue (staff, station deputies). The duplicate ends, pointing at the issue it went to.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = Merge,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/merge")]
pub async fn merge(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Merge>,
) -> AppResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    let into = body.into;
    run(&state, &auth, *id, Command::Merge { into }, note.as_deref()).await
}
