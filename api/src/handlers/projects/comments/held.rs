//! `GET /projects/{id}/comments/held`: comments held for review on a project, oldest first (staff over the project).

use super::ProjectComment;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::handlers::projects::{found, role_over};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// Comments held for review on a project, oldest first (staff over the project).
#[utoipa::path(operation_id = "held_project_comments", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = Vec<ProjectComment>)))]
#[get("/projects/{id}/comments/held")]
pub async fn held(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, *id).await?;
    role_over(&auth.actor, &project)?.may_review_comments()?;
    let rows = infra::db::project_comments::held(&mut conn, project.project.id).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ProjectComment::of).collect::<Vec<_>>()))
}
