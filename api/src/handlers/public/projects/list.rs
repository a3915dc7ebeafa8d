//! `GET /public/projects`: the public ranking (动态排序) of elected livelihood projects.

use crate::app::error::AppResult;
use crate::app::projects::ProjectSummary;
use crate::extract::Query;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
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
    Ok(HttpResponse::Ok()
        .json(crate::app::projects::read::public_list(&state, q.ballot_id, q.region.as_deref()).await?))
}
