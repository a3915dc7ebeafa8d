//! Reporting on an elected project: its agency's progress (how far, with photos; a report may complete a milestone,
//! which ends that milestone's deadline) and the inspections (视察) of deputies and staff.

pub mod inspection;
pub mod progress;

use super::{found, role_over};
use crate::app::photos::attach_own;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use domain::issue::report::PhotoIds;
use domain::permission::ProjectRole;
use domain::project::ReportKind;
use domain::Invalid;
use infra::db::photos::PhotoUse;
use infra::db::project_reports::ReportRow;
use infra::db::AsyncConnection;
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
