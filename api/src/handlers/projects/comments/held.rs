//! `GET /projects/{id}/comments/held`: comments held for review on a project, oldest first (staff over the project).

use super::ProjectComment;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// Comments held for review on a project, oldest first (staff over the project).
#[utoipa::path(operation_id = "held_project_comments", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = Vec<ProjectComment>)))]
#[get("/projects/{id}/comments/held")]
pub async fn held(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::projects::read::held(&state, &auth, *id).await?))
}
