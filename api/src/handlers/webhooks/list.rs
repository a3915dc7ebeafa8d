//! `GET /webhooks`: the webhooks the caller keeps (admins.

use super::Webhook;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// The webhooks the caller keeps (admins: all; staff: their region's agencies').
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<Webhook>),
        (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/webhooks")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    let hooks: Vec<Webhook> = crate::app::notifications::webhooks(&state, &auth)
        .await?
        .into_iter()
        .map(Webhook::from)
        .collect();
    Ok(HttpResponse::Ok().json(hooks))
}
