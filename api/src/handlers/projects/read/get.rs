//! `GET /projects/{id}`: an elected project with its milestones and latest reports.

use crate::app::error::AppResult;
use crate::app::projects::Milestone;
use crate::app::projects::ProjectReport;
use crate::extract::AuthUser;
use crate::handlers::projects::{found, ranked_one, role_over, ProjectSummary};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// An elected project as those who supervise it see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    #[serde(flatten)]
    pub project: ProjectSummary,
    pub summary: String,
    pub milestones: Vec<Milestone>,
    /// The latest progress reports and inspections, newest first (20 at most; `/projects/{id}/reports` pages on).
    pub reports: Vec<ProjectReport>,
}

/// An elected project with its milestones and latest reports; `rank` is its place among its ballot's elected projects.
#[utoipa::path(operation_id = "get_project", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = ProjectPage)))]
#[get("/projects/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, *id).await?;
    role_over(&auth.actor, &project)?;
    let loaded = ranked_one(&mut conn, project, state.clock.now()).await?;
    let latest = infra::db::project_reports::of_project(&mut conn, *id, None, None, 20).await?;
    Ok(HttpResponse::Ok().json(ProjectPage {
        project: loaded.summary,
        summary: loaded.summary_text,
        milestones: loaded.milestones,
        reports: latest.into_iter().map(ProjectReport::of).collect(),
    }))
}
