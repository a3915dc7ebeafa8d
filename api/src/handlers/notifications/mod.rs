//! In-app notifications, and citizens' answers to WeChat's subscription prompt.

pub mod list;
pub mod read;
pub mod subscribe;
pub mod subscriptions;

use crate::app::error::AppResult;
use chrono::{DateTime, Utc};
use infra::db::notifications::{NotificationRow, SubscriptionRow};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Something the person was told.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    /// `accepted`, `routed`, `replied`, `closed`, `urged`, `key_supervision`, `warned`, `due` or `overdue`.
    pub kind: String,
    pub issue_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<NotificationRow> for Notification {
    fn from(n: NotificationRow) -> Self {
        Notification {
            id: n.id,
            kind: n.kind,
            issue_id: n.issue_id,
            title: n.title,
            body: n.body,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

/// A citizen's standing with one subscribe-message template.
#[derive(Debug, Serialize, ToSchema)]
pub struct Subscription {
    pub template_id: String,
    /// Messages that may still be sent (each "accept" allows one).
    pub credits: i32,
    /// When the citizen rejected it, or WeChat said they refused (43101): nothing is sent until they accept again.
    pub refused_at: Option<DateTime<Utc>>,
}

impl From<SubscriptionRow> for Subscription {
    fn from(s: SubscriptionRow) -> Self {
        Subscription {
            template_id: s.template_id,
            credits: s.credits,
            refused_at: s.refused_at,
        }
    }
}

async fn subscriptions_of(conn: &mut infra::db::PgConn, user: Uuid) -> AppResult<Vec<Subscription>> {
    Ok(infra::db::notifications::subscriptions(conn, user)
        .await?
        .into_iter()
        .map(Subscription::from)
        .collect())
}
