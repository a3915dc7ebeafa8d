//! `POST /projects/{id}/inspections`: record an inspection (视察) of the project.

use super::{file, ProjectReport};
use crate::app::error::AppResult;
use crate::app::projects::ReportDraft;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::report::{Note, PhotoIds};
use domain::permission::ProjectRole;
use domain::project::ReportKind;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// What the inspection found.
    #[schema(max_length = 2000)]
    pub note: String,
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
}

/// Record an inspection (视察) of the project: deputies of its region's branch and staff.
#[utoipa::path(operation_id = "record_inspection", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = Inspection,
    responses((status = 201, body = ProjectReport)))]
#[post("/projects/{id}/inspections")]
pub async fn inspection(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Inspection>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let note = Note::parse(&body.note)?;
    let photos = PhotoIds::parse(body.photo_ids)?;
    let draft = ReportDraft {
        kind: ReportKind::Inspection,
        note: note.as_str(),
        percent: None,
        milestone: None,
        photos: &photos,
    };
    file(&state, &auth, *id, &draft, ProjectRole::may_inspect).await
}
