use super::reports::ProjectReport;
use super::{found, ranked, ranked_one, role_over, ProjectSummary};
use crate::error::ApiResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::handlers::ballots::Milestone;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::ProjectScope;
use domain::project::ReportKind;
use infra::db::projects::ProjectFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// At most this many projects are ranked in one list: a province elects a few hundred a year.
const RANKED: i64 = 1000;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListProjects {
    /// Only the projects elected by this ballot.
    pub ballot_id: Option<Uuid>,
    /// Only the projects of ballots in this region's subtree (staff, admins).
    pub region: Option<String>,
}

/// 动态排序: elected livelihood projects ranked by progress — the share of their milestones done, then fewer overdue,
/// then the percent their agencies reported. Staff see their subtree's, handlers their agency's, deputies those of
/// their region, the regions above it and below it. Citizens read the public ranking (`/public/projects`).
#[utoipa::path(operation_id = "list_projects", tag = "projects", security(("bearer" = [])), params(ListProjects),
    responses((status = 200, body = Vec<ProjectSummary>)))]
#[get("/projects")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListProjects>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let mut filter = ProjectFilter {
        ballot: q.ballot_id,
        ..ProjectFilter::default()
    };
    let scope = ProjectScope::of(&auth.actor)?;
    let prefix;
    let above: Vec<&str>;
    match &scope {
        ProjectScope::Administered(admin) => {
            prefix = crate::app::reach::list_prefix(&mut conn, admin, q.region.as_deref()).await?;
            filter.path_prefix = prefix.as_deref();
        }
        ProjectScope::Agency(agency) => filter.agency = Some(*agency),
        ProjectScope::Branch(region) => {
            above = region.codes().collect();
            filter.path_prefix = Some(region.as_str());
            filter.or_regions = &above;
        }
    }
    let rows = infra::db::projects::elected(&mut conn, &filter, RANKED).await?;
    let now = state.clock.now();
    Ok(HttpResponse::Ok().json(
        ranked(&mut conn, rows, now)
            .await?
            .into_iter()
            .map(|l| l.summary)
            .collect::<Vec<_>>(),
    ))
}

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
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListReports {
    /// Only progress reports or only inspections.
    pub kind: Option<ReportKind>,
    /// Reports older than this one (a report id from the last page).
    pub before: Option<Uuid>,
    pub limit: Option<i64>,
}

/// A project's reports, newest first.
#[utoipa::path(operation_id = "project_reports", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project"), ListReports),
    responses((status = 200, body = Vec<ProjectReport>)))]
#[get("/projects/{id}/reports")]
pub async fn reports(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: Query<ListReports>,
) -> ApiResult<HttpResponse> {
    let limit = crate::page::limit(q.limit)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, *id).await?;
    role_over(&auth.actor, &project)?;
    let rows =
        infra::db::project_reports::of_project(&mut conn, *id, q.kind.map(ReportKind::as_str), q.before, limit.get())
            .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ProjectReport::of).collect::<Vec<_>>()))
}
