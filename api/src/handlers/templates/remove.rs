use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};
use uuid::Uuid;

/// Remove a template (within the caller's scope). What was sent from it stays in the issues' timelines.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such template within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/templates/{id}")]
pub async fn remove(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    app::templates::remove(&state, auth.caller(), *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
