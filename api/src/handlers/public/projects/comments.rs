//! `GET /public/projects/{id}/comments`: a project's comments, newest first.

use crate::app::error::AppResult;
use crate::app::projects::ProjectComment;
use crate::extract::Query;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

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
) -> AppResult<HttpResponse> {
    let limit = crate::page::limit(q.limit)?;
    Ok(HttpResponse::Ok().json(crate::app::projects::read::comments(&state, *id, q.before, limit.get()).await?))
}
