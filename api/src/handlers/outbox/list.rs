//! `GET /outbox`: every notification written, by channel and by what became of it, newest first (admins).

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::permission::may_see_outbox;
use infra::db::notifications::NotificationRow;
use infra::db::outbox::OutboxRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A notification on its way: a WeChat subscribe message or a webhook delivery from the outbox, or an in-app
/// notification (written, and so delivered, with the change it tells of).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: Uuid,
    /// `in_app`, `wechat` or `webhook`.
    pub channel: String,
    pub user_id: Option<Uuid>,
    pub webhook_id: Option<Uuid>,
    pub issue_id: Option<Uuid>,
    pub kind: String,
    /// `pending`, `sent`, `refused`, `dead` or `skipped` (never sent: see `last_error`).
    pub status: String,
    /// How often the worker tried; more than one: retried.
    pub attempts: i32,
    /// Why the last attempt failed; for `skipped`, why it was never sent: `not_configured` (WeChat or the notice's
    /// template is not set up), `no_wechat_account` (the person never signed in through WeChat) or
    /// `not_subscribed` (they accepted no message, or used up what they accepted).
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// In-app: when the person read it.
    pub read_at: Option<DateTime<Utc>>,
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
            read_at: None,
        }
    }
}

impl From<NotificationRow> for OutboxMessage {
    fn from(r: NotificationRow) -> Self {
        OutboxMessage {
            id: r.id,
            channel: "in_app".to_owned(),
            user_id: Some(r.user_id),
            webhook_id: None,
            issue_id: r.issue_id,
            kind: r.kind,
            status: "sent".to_owned(),
            attempts: 1,
            last_error: None,
            created_at: r.created_at,
            sent_at: Some(r.created_at),
            read_at: r.read_at,
        }
    }
}

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
    may_see_outbox(&auth.actor)?;
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
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let answer: Page<OutboxMessage> = if in_app {
        // Written is delivered: an in-app notification is in no other status.
        let rows = if status == "sent" {
            infra::db::notifications::everyone(&mut conn, before, limit.probe()).await?
        } else {
            Vec::new()
        };
        page(rows, limit, |r| r.id.to_string(), OutboxMessage::from)
    } else {
        let rows = infra::db::outbox::in_status(&mut conn, status, channel, before, limit.probe()).await?;
        page(rows, limit, |r| r.id.to_string(), OutboxMessage::from)
    };
    Ok(HttpResponse::Ok().json(answer))
}

/// How many notifications a channel holds in one status.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tally {
    /// `in_app`, `wechat` or `webhook`.
    pub channel: String,
    pub status: String,
    pub count: i64,
    /// Of them, tried more than once.
    pub retried: i64,
}

/// Every channel's notifications by status, and how many in-app ones were read.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxSummary {
    pub tallies: Vec<Tally>,
    pub in_app_read: i64,
}

/// What became of the notifications written, channel by channel (admins): can they tell whether notifications
/// work, without WeChat configured as much as with it.
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = OutboxSummary),
        (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/outbox/summary")]
pub async fn summary(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    may_see_outbox(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (written, read) = infra::db::notifications::written_and_read(&mut conn).await?;
    let tallies = infra::db::outbox::tally(&mut conn).await?;
    let in_app = Tally {
        channel: "in_app".to_owned(),
        status: "sent".to_owned(),
        count: written,
        retried: 0,
    };
    let tallies = std::iter::once(in_app)
        .chain(tallies.into_iter().map(|(channel, status, count, retried)| Tally {
            channel,
            status,
            count,
            retried,
        }))
        .collect();
    Ok(HttpResponse::Ok().json(OutboxSummary {
        tallies,
        in_app_read: read,
    }))
}
