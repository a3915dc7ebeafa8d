//! `GET /wechat/subscriptions`: the caller's subscriptions.

use super::{subscriptions_of, Subscription};
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::may_subscribe;

/// The caller's subscriptions.
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<Subscription>)))]
#[get("/wechat/subscriptions")]
pub async fn subscriptions(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    may_subscribe(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(HttpResponse::Ok().json(subscriptions_of(&mut conn, auth.actor.user_id).await?))
}
