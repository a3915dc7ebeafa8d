//! `GET /outbox`: messages by status, newest first (admins).

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::permission::may_see_outbox;
use infra::db::outbox::OutboxRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A queued message.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: Uuid,
    /// `wechat` or `webhook`.
    pub channel: String,
    pub user_id: Option<Uuid>,
    pub webhook_id: Option<Uuid>,
    pub issue_id: Option<Uuid>,
    pub kind: String,
    /// `pending`, `sent`, `refused` or `dead`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<OutboxRow> for OutboxMessage {
    fn from(r: OutboxRow) -> Self {
        OutboxMessage {
            id: r.id,
            channel: r.channel,
            user_id: r.user_id,
            webhook_id: r.webhook_id,
            issue_id: r.issue_id,
            kind: r.kind,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at,
            sent_at: r.sent_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// `dead` (default), `pending`, `sent` or `refused`.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Messages by status, newest first (admins).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(OutboxQuery),
    responses((status = 200, body = Page<OutboxMessage>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/outbox")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, query: Query<OutboxQuery>) -> ApiResult<HttpResponse> {
    may_see_outbox(&auth.actor)?;
    let status = query.status.as_deref().unwrap_or("dead");
    if !matches!(status, "dead" | "pending" | "sent" | "refused") {
        return Err(
            ApiError::new(ErrorCode::InvalidQuery, "status must be dead, pending, sent or refused")
                .with_field("status"),
        );
    }
    let limit = limit(query.limit)?;
    let before = decode_uuid_cursor(query.cursor.as_deref())?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = infra::db::outbox::in_status(&mut conn, status, before, limit.probe()).await?;
    let answer: Page<OutboxMessage> = page(rows, limit, |r| r.id.to_string(), OutboxMessage::from);
    Ok(HttpResponse::Ok().json(answer))
}
