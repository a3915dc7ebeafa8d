//! Agency systems' webhooks: where an agency's routed issues, urges, reminders and escalations are POSTed, signed
//! (see `infra::webhook`). Admins, and staff whose region holds the agency, keep them.

pub mod create;
pub mod list;
pub mod remove;

use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use chrono::{DateTime, Utc};
use domain::permission::AdminScope;
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

/// The agency's region, if the actor may keep its webhooks.
async fn agency_in_reach(conn: &mut infra::db::PgConn, auth: &AuthUser, agency: Uuid) -> ApiResult<()> {
    let scope = AdminScope::of(&auth.actor)?;
    let (_, path) = infra::db::agencies::find(conn, agency)
        .await?
        .ok_or_else(|| ApiError::not_found("agency"))?;
    scope.may_see(&path).map_err(|_| ApiError::not_found("agency"))?;
    scope.may_manage_in(&path)?;
    Ok(())
}
