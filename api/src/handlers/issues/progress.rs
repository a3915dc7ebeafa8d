use super::command::{required_note, run, CommandErrors};
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::report::PhotoIds;
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressNote {
    /// What was done. Co-agencies (协办) post their part here.
    #[schema(max_length = 2000)]
    pub note: String,
    /// Up to 9 of the handler's own photos of the work, uploaded first with `POST /api/v1/photos`.
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
}

/// 办理: post progress (handlers of the lead agency and of co-agencies).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = ProgressNote,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<ProgressNote>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let note = required_note(&body.note, "note")?;
    let photos = PhotoIds::parse(body.photo_ids).map_err(|e| e.at("photo_ids"))?;
    let command = Command::Progress {
        photo_ids: photos.as_slice().to_vec(),
    };
    run(&state, &auth, *id, command, Some(&note)).await
}
