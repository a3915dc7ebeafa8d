//! 通知台账: every notification written, by channel and by what became of it (admins).

use crate::app::error::AppResult;
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::page::Limit;
use domain::permission::may_see_outbox;
use infra::db::notifications::NotificationRow;
use infra::db::outbox::OutboxRow;
use serde::Serialize;
use utoipa::ToSchema;
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

/// Which notifications to list: a channel (`None`: WeChat and webhooks together) and a status, both as the
/// query named them once checked.
pub struct Shelf<'a> {
    pub channel: Option<&'a str>,
    pub status: &'a str,
}

/// A page of notifications on `shelf`, newest first, before `before`; `limit.probe()` of them at most.
///
/// # Errors
/// 403 for anyone but an administrator.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    shelf: Shelf<'_>,
    before: Option<Uuid>,
    limit: Limit,
) -> AppResult<Vec<OutboxMessage>> {
    may_see_outbox(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    if shelf.channel == Some("in_app") {
        // Written is delivered: an in-app notification is in no other status.
        if shelf.status != "sent" {
            return Ok(Vec::new());
        }
        let rows = infra::db::notifications::everyone(&mut conn, before, limit.probe()).await?;
        return Ok(rows.into_iter().map(OutboxMessage::from).collect());
    }
    let rows = infra::db::outbox::in_status(&mut conn, shelf.status, shelf.channel, before, limit.probe()).await?;
    Ok(rows.into_iter().map(OutboxMessage::from).collect())
}

/// What became of the notifications written, channel by channel.
///
/// # Errors
/// 403 for anyone but an administrator.
pub async fn summary(state: &AppState, caller: &Caller) -> AppResult<OutboxSummary> {
    may_see_outbox(&caller.actor)?;
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
    Ok(OutboxSummary {
        tallies,
        in_app_read: read,
    })
}
