//! `GET /projects/{id}/reports`: a project's reports, newest first.

use crate::app::error::AppResult;
use crate::app::projects::ProjectReport;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::project::ReportKind;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

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
) -> AppResult<HttpResponse> {
    let limit = crate::page::limit(q.limit)?;
    let reports = crate::app::projects::read::reports(&state, &auth, *id, q.kind, q.before, limit.get()).await?;
    Ok(HttpResponse::Ok().json(reports))
}
