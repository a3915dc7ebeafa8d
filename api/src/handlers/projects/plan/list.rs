//! `GET /projects/{id}/plan-changes`: a project's plan changes, newest first.

use super::PlanChange;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// A project's requests to change its plan and what staff decided, newest first (staff over it, its agency, deputies
/// of its region).
#[utoipa::path(operation_id = "list_plan_changes", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = Vec<PlanChange>)))]
#[get("/projects/{id}/plan-changes")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(app::projects::plan::list(&state, auth.caller(), *id).await?))
}
