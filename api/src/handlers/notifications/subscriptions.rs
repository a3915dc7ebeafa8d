//! `GET /wechat/subscriptions`: the caller's subscriptions.

use super::Subscription;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// The caller's subscriptions.
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<Subscription>)))]
#[get("/wechat/subscriptions")]
pub async fn subscriptions(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::notifications::subscriptions(&state, auth.caller()).await?))
}
