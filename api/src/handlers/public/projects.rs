//! 码上监督, the public side: anyone, signed in or not, reads the ranking of elected livelihood projects and each
//! project's page — its milestones and colours, its agency's progress and deputies' inspections with their photos,
//! citizens' comments and stars. Handlers speak for their agency here: the agency's name stands for theirs.

use crate::app::reach::region_filter;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::handlers::ballots::Milestone;
use crate::handlers::photos::get::send;
use crate::handlers::projects::comments::ProjectComment;
use crate::handlers::projects::reports::ProjectReport;
use crate::handlers::projects::{found, ranked, ranked_one, ProjectSummary};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::project::ReportKind;
use infra::db::photos::PhotoRow;
use infra::db::projects::ProjectFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PublicProjects {
    /// A region code: the projects of ballots there and below.
    pub region: Option<String>,
    pub ballot_id: Option<Uuid>,
}

/// The public ranking (动态排序) of elected livelihood projects. No sign-in needed.
#[utoipa::path(operation_id = "public_projects", tag = "public", params(PublicProjects),
    responses((status = 200, body = Vec<ProjectSummary>)))]
#[get("/public/projects")]
pub async fn list(state: web::Data<AppState>, q: Query<PublicProjects>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = region_filter(&mut conn, q.region.as_deref()).await?;
    let filter = ProjectFilter {
        path_prefix: prefix.as_deref(),
        ballot: q.ballot_id,
        ..ProjectFilter::default()
    };
    let rows = infra::db::projects::elected(&mut conn, &filter, 1000).await?;
    Ok(HttpResponse::Ok().json(
        ranked(&mut conn, rows, state.clock.now())
            .await?
            .into_iter()
            .map(|l| l.summary)
            .collect::<Vec<_>>(),
    ))
}

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
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/public/projects/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PublicComments {
    /// Comments older than this one (a comment id from the last page).
    pub before: Option<Uuid>,
    pub limit: Option<i64>,
}

/// A project's comments, newest first. No sign-in needed.
#[utoipa::path(operation_id = "public_project_comments", tag = "public",
    params(("id" = Uuid, Path, description = "The project"), PublicComments),
    responses((status = 200, body = Vec<ProjectComment>)))]
#[get("/public/projects/{id}/comments")]
pub async fn comments(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    q: Query<PublicComments>,
) -> ApiResult<HttpResponse> {
    let limit = crate::page::limit(q.limit)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    found(&mut conn, *id).await?;
    let rows = infra::db::project_comments::of_project(&mut conn, *id, q.before, limit.get()).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ProjectComment::of).collect::<Vec<_>>()))
}

/// A photo of one of the project's reports, as JPEG. No sign-in needed; photos of anything else answer 404.
#[utoipa::path(operation_id = "public_project_photo", tag = "public",
    params(("id" = Uuid, Path, description = "The project"), ("photo" = Uuid, Path, description = "The photo")),
    responses((status = 200, body = crate::handlers::photos::get::Jpeg, content_type = "image/jpeg"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/public/projects/{id}/photos/{photo}")]
pub async fn photo(state: web::Data<AppState>, path: web::Path<(Uuid, Uuid)>) -> ApiResult<HttpResponse> {
    let (project, photo) = *path;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    if infra::db::project_reports::project_of_photo(&mut conn, photo).await? != Some(project) {
        return Err(ApiError::not_found("photo"));
    }
    drop(conn);
    send(&state, photo, PhotoRow::key, "public, max-age=86400, immutable").await
}
