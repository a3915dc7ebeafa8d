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

pub use crate::app::projects::ProjectReport;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use domain::permission::ProjectRole;
use uuid::Uuid;

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
