//! `GET /public/projects/{id}`: 码上监督.

use crate::app::error::AppResult;
use crate::app::projects::read::PublicProject;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// 码上监督: the page a project's QR code opens. No sign-in needed; projects not elected answer 404.
#[utoipa::path(operation_id = "public_project", tag = "public",
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = PublicProject),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/public/projects/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::projects::read::public_page(&state, *id).await?))
}
