//! `POST /issues/{id}/extensions/{extension_id}/decision`: approve or refuse a pending extension (staff).

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::issues::command::{optional_note, run, CommandErrors};
use crate::handlers::issues::IssueView;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDecision {
    pub approve: bool,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Approve or refuse a pending extension (staff). Approval moves the reply deadline by the span asked for.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = ExtensionDecision,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/extensions/{extension_id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ExtensionDecision>,
) -> AppResult<HttpResponse> {
    let (id, extension_id) = path.into_inner();
    let note = optional_note(body.note.as_deref(), "note")?;
    let approve = body.approve;
    let command = Command::DecideExtension {
        id: extension_id,
        approve,
        note: note.clone(),
    };
    run(&state, &auth, id, command, note.as_deref()).await
}
