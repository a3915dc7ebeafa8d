//! `GET /projects`: 动态排序.

use crate::app::error::AppResult;
use crate::app::projects::{ranked, ProjectSummary};
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::ProjectScope;
use infra::db::projects::ProjectFilter;
use serde::Deserialize;
use utoipa::IntoParams;
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
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListProjects>) -> AppResult<HttpResponse> {
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
