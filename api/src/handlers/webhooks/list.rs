//! `GET /webhooks`: the webhooks the caller keeps (admins.

use super::Webhook;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::AdminScope;

/// The webhooks the caller keeps (admins: all; staff: their region's agencies').
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<Webhook>),
        (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/webhooks")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let agencies = match scope.path_prefix() {
        None => None,
        Some(prefix) => Some(infra::db::agencies::ids_under(&mut conn, prefix).await?),
    };
    let hooks: Vec<Webhook> = infra::db::webhooks::list(&mut conn, agencies.as_deref())
        .await?
        .into_iter()
        .map(Webhook::from)
        .collect();
    Ok(HttpResponse::Ok().json(hooks))
}
