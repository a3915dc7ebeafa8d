//! `GET /projects/{id}`: an elected project with its milestones and latest reports.

use crate::app::error::AppResult;
use crate::app::projects::read::ProjectPage;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// An elected project with its milestones and latest reports; `rank` is its place among its ballot's elected projects.
#[utoipa::path(operation_id = "get_project", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = ProjectPage)))]
#[get("/projects/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::projects::read::page(&state, &auth, *id).await?))
}
