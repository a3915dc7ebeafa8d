//! `GET /projects`: 动态排序.

use crate::app::error::AppResult;
use crate::app::projects::ProjectSummary;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

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
    Ok(HttpResponse::Ok()
        .json(crate::app::projects::read::list(&state, &auth, q.ballot_id, q.region.as_deref()).await?))
}
