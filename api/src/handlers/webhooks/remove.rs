//! `DELETE /webhooks/{id}`: stop a webhook.

use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};
use uuid::Uuid;

/// Stop a webhook. Messages already queued for it become dead letters.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[delete("/webhooks/{id}")]
pub async fn remove(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    app::notifications::stop_webhook(&state, auth.caller(), *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
