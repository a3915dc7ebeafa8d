//! `POST /projects/{id}/progress`: report progress (the responsible agency's handlers).

use super::{file, ProjectReport};
use crate::app::error::AppResult;
use crate::app::projects::ReportDraft;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::report::{Note, PhotoIds};
use domain::permission::ProjectRole;
use domain::project::ReportKind;
use domain::scale::Percent;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressReport {
    /// What was done.
    #[schema(max_length = 2000)]
    pub note: String,
    /// How far the whole project is, 0–100.
    pub percent: Option<i16>,
    /// An open milestone of the project this report completes.
    pub milestone_id: Option<Uuid>,
    /// Up to 9 photos the caller uploaded through `POST /api/v1/photos`, not used elsewhere.
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
}

/// Report progress (the responsible agency's handlers). Naming `milestone_id` completes that milestone: its deadline
/// ends and no more reminders come.
#[utoipa::path(operation_id = "report_project_progress", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = ProgressReport,
    responses((status = 201, body = ProjectReport),
        (status = 409, description = "The milestone is already done", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/projects/{id}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<ProgressReport>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let note = Note::parse(&body.note)?;
    let percent = body.percent.map(|p| Percent::parse("percent", p)).transpose()?;
    let photos = PhotoIds::parse(body.photo_ids)?;
    let draft = ReportDraft {
        kind: ReportKind::Progress,
        note: note.as_str(),
        percent: percent.map(Percent::get),
        milestone: body.milestone_id,
        photos: &photos,
    };
    file(&state, &auth, *id, &draft, ProjectRole::may_report_progress).await
}
