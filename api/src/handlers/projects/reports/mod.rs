//! Reporting on an elected project: its agency's progress (how far, with photos; a report may complete a milestone,
//! which ends that milestone's deadline) and the inspections (视察) of deputies and staff.

pub mod inspection;
pub mod progress;

use crate::app;
use crate::app::error::AppResult;
use crate::app::projects::ReportDraft;
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use domain::permission::ProjectRole;
use domain::project::ReportKind;
use serde::Serialize;
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

/// Files a report (`app::projects::file_report`) and answers it.
async fn file(
    state: &AppState,
    auth: &AuthUser,
    project: Uuid,
    draft: &ReportDraft<'_>,
    may: fn(ProjectRole) -> Result<(), domain::Denied>,
) -> AppResult<HttpResponse> {
    let answer = app::projects::file_report(state, auth.caller(), project, draft, may, |report| {
        Answer::json(auth, StatusCode::CREATED, None, &ProjectReport::of(report))
    })
    .await?;
    Ok(answer.respond())
}
