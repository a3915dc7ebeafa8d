//! Agency systems' webhooks: where an agency's routed issues, urges, reminders and escalations are POSTed, signed
//! (see `infra::webhook`). Admins, and staff whose region holds the agency, keep them.

pub mod create;
pub mod list;
pub mod remove;

use chrono::{DateTime, Utc};
use infra::db::webhooks::WebhookRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A webhook; its secret is never shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub url: String,
    pub created_at: DateTime<Utc>,
}

impl From<WebhookRow> for Webhook {
    fn from(w: WebhookRow) -> Self {
        Webhook {
            id: w.id,
            agency_id: w.agency_id,
            url: w.url,
            created_at: w.created_at,
        }
    }
}
