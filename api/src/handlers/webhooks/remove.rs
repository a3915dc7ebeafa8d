//! `DELETE /webhooks/{id}`: stop a webhook.

use super::agency_in_reach;
use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};
use uuid::Uuid;

/// Stop a webhook. Messages already queued for it become dead letters.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
#[delete("/webhooks/{id}")]
pub async fn remove(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let hook = infra::db::webhooks::find(&mut conn, *id)
        .await?
        .filter(|h| h.enabled)
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    agency_in_reach(&mut conn, &auth, hook.agency_id)
        .await
        .map_err(|_| ApiError::not_found("webhook"))?;
    infra::db::webhooks::disable(&mut conn, hook.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
