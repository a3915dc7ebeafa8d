//! `GET /outbox`: every notification written, by channel and by what became of it, newest first (admins).

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::outbox::{OutboxMessage, OutboxSummary, Shelf};
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// `wechat`, `webhook` or `in_app`; default: WeChat and webhooks together.
    pub channel: Option<String>,
    /// `dead` (default), `pending`, `sent`, `refused` or `skipped`; in-app notifications are all `sent`.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Notifications by channel and status, newest first (admins).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(OutboxQuery),
    responses((status = 200, body = Page<OutboxMessage>),
        (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/outbox")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, query: Query<OutboxQuery>) -> AppResult<HttpResponse> {
    let bad = |field: &str, why: &str| AppError::new(ErrorCode::InvalidQuery, why.to_owned()).with_field(field);
    let channel = query.channel.as_deref();
    if !matches!(channel, None | Some("wechat" | "webhook" | "in_app")) {
        return Err(bad("channel", "channel must be wechat, webhook or in_app"));
    }
    let in_app = channel == Some("in_app");
    let status = query.status.as_deref().unwrap_or(if in_app { "sent" } else { "dead" });
    if !matches!(status, "dead" | "pending" | "sent" | "refused" | "skipped") {
        return Err(bad("status", "status must be dead, pending, sent, refused or skipped"));
    }
    let limit = limit(query.limit)?;
    let before = decode_uuid_cursor(query.cursor.as_deref())?;
    let rows = crate::app::outbox::list(&state, &auth, Shelf { channel, status }, before, limit).await?;
    let answer: Page<OutboxMessage> = page(rows, limit, |m| m.id.to_string(), |m| m);
    Ok(HttpResponse::Ok().json(answer))
}

/// What became of the notifications written, channel by channel (admins): can they tell whether notifications
/// work, without WeChat configured as much as with it.
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = OutboxSummary),
        (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/outbox/summary")]
pub async fn summary(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::outbox::summary(&state, &auth).await?))
}
