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

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionalNote {
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// 附议: a deputy co-signs an issue (once).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = OptionalNote,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/cosign")]
pub async fn cosign(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<OptionalNote>,
) -> AppResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    run(&state, &auth, *id, Command::Cosign, note.as_deref()).await
}
