//! `GET /notifications`: the caller's notifications, newest first.

use super::Notification;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// Only those not read yet.
    #[serde(default)]
    pub unread: bool,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The caller's notifications, newest first. The `X-Unread-Count` header says how many are unread in all.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(NotificationQuery),
    responses((status = 200, body = Page<Notification>,
        headers(("X-Unread-Count" = i64, description = "Unread notifications in all")))))]
#[get("/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<NotificationQuery>,
) -> AppResult<HttpResponse> {
    let limit = limit(query.limit)?;
    let before = decode_uuid_cursor(query.cursor.as_deref())?;
    let (rows, unread) = crate::app::notifications::mine(&state, &auth, query.unread, before, limit.probe()).await?;
    let answer: Page<Notification> = page(rows, limit, |n| n.id.to_string(), Notification::from);
    Ok(HttpResponse::Ok()
        .insert_header(("X-Unread-Count", unread.to_string()))
        .json(answer))
}
