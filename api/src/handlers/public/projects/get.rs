//! `GET /public/projects/{id}`: 码上监督.

use crate::app::error::AppResult;
use crate::app::projects::Milestone;
use crate::app::projects::ProjectComment;
use crate::app::projects::ProjectReport;
use crate::app::projects::{found, ranked_one, ProjectSummary};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::project::ReportKind;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A project's public page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProject {
    #[serde(flatten)]
    pub project: ProjectSummary,
    pub summary: String,
    pub milestones: Vec<Milestone>,
    /// The latest 20 progress reports and inspections, newest first.
    pub reports: Vec<ProjectReport>,
    /// The latest 20 comments, newest first (`/public/projects/{id}/comments` pages on).
    pub comments: Vec<ProjectComment>,
}

/// 码上监督: the page a project's QR code opens. No sign-in needed; projects not elected answer 404.
#[utoipa::path(operation_id = "public_project", tag = "public",
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = PublicProject),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/public/projects/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, *id).await?;
    let agency = project.agency_name.clone();
    let loaded = ranked_one(&mut conn, project, state.clock.now()).await?;
    let latest = infra::db::project_reports::of_project(&mut conn, *id, None, None, 20).await?;
    let said = infra::db::project_comments::of_project(&mut conn, *id, None, 20).await?;
    Ok(HttpResponse::Ok().json(PublicProject {
        project: loaded.summary,
        summary: loaded.summary_text,
        milestones: loaded.milestones,
        reports: latest
            .into_iter()
            .map(|r| {
                let mut shown = ProjectReport::of(r);
                // The public reads a report's words as it reads an issue's: numbers people typed are masked.
                shown.note = domain::publication::mask(&shown.note, &[]);
                // Progress comes only from the agency's handlers, who speak for their agency here.
                if shown.kind == ReportKind::Progress {
                    shown.author_id = None;
                    shown.author_name.clone_from(&agency);
                }
                shown
            })
            .collect(),
        comments: said.into_iter().map(ProjectComment::of).collect(),
    }))
}
