//! `GET /projects/{id}/timeline`: an elected project's timeline, checked.

use crate::app;
use crate::app::error::AppResult;
use crate::app::projects::timeline::ProjectTimeline;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// An elected project's timeline from its election on — plan changes asked and decided, money, milestones done,
/// comments turned into issues — each event chained to the one before; `intact` says whether the chain is whole.
#[utoipa::path(operation_id = "project_timeline", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = ProjectTimeline)))]
#[get("/projects/{id}/timeline")]
pub async fn timeline(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(app::projects::timeline::read(&state, auth.caller(), *id).await?))
}
