//! `GET /public/projects`: the public ranking (动态排序) of elected livelihood projects.

use crate::app::error::AppResult;
use crate::app::projects::{ranked, ProjectSummary};
use crate::app::reach::region_filter;
use crate::extract::Query;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use infra::db::projects::ProjectFilter;
use serde::Deserialize;
use utoipa::IntoParams;
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
pub async fn list(state: web::Data<AppState>, q: Query<PublicProjects>) -> AppResult<HttpResponse> {
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
