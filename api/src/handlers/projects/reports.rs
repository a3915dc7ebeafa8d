//! Reporting on an elected project: its agency's progress (how far, with photos; a report may complete a milestone,
//! which ends that milestone's deadline) and the inspections (视察) of deputies and staff.

use super::{found, role_over};
use crate::app::photos::attach_own;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::issue::report::{Note, PhotoIds};
use domain::permission::ProjectRole;
use domain::project::ReportKind;
use domain::scale::Percent;
use domain::Invalid;
use infra::db::photos::PhotoUse;
use infra::db::project_reports::ReportRow;
use infra::db::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A progress report or an inspection record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectReport {
    pub id: Uuid,
    pub kind: ReportKind,
    /// Absent on public pages for the agency's handlers, who speak for their agency.
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub note: String,
    pub percent: Option<i16>,
    /// The milestone this report completed.
    pub milestone_id: Option<Uuid>,
    pub photo_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl ProjectReport {
    #[must_use]
    pub fn of(r: infra::db::project_reports::Report) -> Self {
        ProjectReport {
            id: r.row.id,
            // The table's CHECK admits only the two words.
            kind: r.row.kind.parse().unwrap_or(ReportKind::Progress),
            author_id: Some(r.row.author_id),
            author_name: r.author_name,
            note: r.row.note,
            percent: r.row.percent,
            milestone_id: r.row.milestone_id,
            photo_ids: r.photo_ids,
            created_at: r.row.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressReport {
    /// What was done.
    pub note: String,
    /// How far the whole project is, 0–100.
    pub percent: Option<i16>,
    /// An open milestone of the project this report completes.
    pub milestone_id: Option<Uuid>,
    /// Up to 9 photos the caller uploaded through `POST /api/v1/photos`, not used elsewhere.
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// What the inspection found.
    pub note: String,
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
}

/// Report progress (the responsible agency's handlers). Naming `milestone_id` completes that milestone: its deadline
/// ends and no more reminders come.
#[utoipa::path(operation_id = "report_project_progress", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = ProgressReport,
    responses((status = 201, body = ProjectReport),
        (status = 409, description = "The milestone is already done", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/projects/{id}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<ProgressReport>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let note = Note::parse(&body.note)?;
    let percent = body.percent.map(|p| Percent::parse("percent", p)).transpose()?;
    let photos = PhotoIds::parse(body.photo_ids)?;
    let draft = Draft {
        kind: ReportKind::Progress,
        note: note.as_str(),
        percent: percent.map(Percent::get),
        milestone: body.milestone_id,
        photos: &photos,
    };
    file(&state, &auth, *id, &draft, ProjectRole::may_report_progress).await
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
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let note = Note::parse(&body.note)?;
    let photos = PhotoIds::parse(body.photo_ids)?;
    let draft = Draft {
        kind: ReportKind::Inspection,
        note: note.as_str(),
        percent: None,
        milestone: None,
        photos: &photos,
    };
    file(&state, &auth, *id, &draft, ProjectRole::may_inspect).await
}

struct Draft<'a> {
    kind: ReportKind,
    note: &'a str,
    percent: Option<i16>,
    milestone: Option<Uuid>,
    photos: &'a PhotoIds,
}

/// Files a report in one transaction: the row, its photos and the milestone it completes, or nothing.
async fn file(
    state: &AppState,
    auth: &AuthUser,
    project: Uuid,
    draft: &Draft<'_>,
    may: fn(ProjectRole) -> Result<(), domain::Denied>,
) -> ApiResult<HttpResponse> {
    let actor = &auth.actor;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    may(role_over(actor, &supervised)?)?;
    let row = ReportRow {
        id: Uuid::now_v7(),
        project_id: project,
        kind: draft.kind.as_str().to_owned(),
        author_id: actor.user_id,
        note: draft.note.to_owned(),
        percent: draft.percent,
        milestone_id: draft.milestone,
        created_at: now,
    };
    conn.transaction(async |conn| {
        if let Some(m) = draft.milestone {
            if !infra::db::projects::complete_milestone(conn, project, m, now).await? {
                let known = infra::db::ballots::milestones_of(conn, &[project])
                    .await?
                    .into_iter()
                    .any(|r| r.id == m);
                return Err(if known {
                    ApiError::new(ErrorCode::Conflict, "this milestone is already done").with_field("milestone_id")
                } else {
                    Invalid::new("milestone_id", "unknown", "not a milestone of this project").into()
                });
            }
        }
        infra::db::project_reports::insert(conn, &row).await?;
        attach_own(conn, actor.user_id, draft.photos.as_slice(), PhotoUse::Report(row.id)).await?;
        let author_name = infra::db::users::find(conn, actor.user_id)
            .await?
            .map(|u| u.row.name)
            .unwrap_or_default();
        let report = ProjectReport::of(infra::db::project_reports::Report {
            row,
            author_name,
            photo_ids: draft.photos.as_slice().to_vec(),
        });
        let answer = Answer::json(auth, StatusCode::CREATED, None, &report)?;
        answer.keep(conn).await?;
        Ok::<_, ApiError>(answer)
    })
    .await
    .map(Answer::respond)
}
