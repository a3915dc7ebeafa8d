//! Agency systems' webhooks.

use super::schema::webhooks;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub url: String,
    pub secret: String,
    pub enabled: bool,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    agency: Uuid,
    url: &str,
    secret: &str,
    by: Uuid,
) -> Result<WebhookRow, DbError> {
    Ok(diesel::insert_into(webhooks::table)
        .values((
            webhooks::id.eq(Uuid::now_v7()),
            webhooks::agency_id.eq(agency),
            webhooks::url.eq(url),
            webhooks::secret.eq(secret),
            webhooks::created_by.eq(by),
        ))
        .returning(WebhookRow::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<WebhookRow>, DbError> {
    Ok(webhooks::table
        .find(id)
        .select(WebhookRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Enabled webhooks, of the given agencies (all agencies when `None`).
pub async fn list(conn: &mut AsyncPgConnection, agencies: Option<&[Uuid]>) -> Result<Vec<WebhookRow>, DbError> {
    let mut q = webhooks::table
        .filter(webhooks::enabled.eq(true))
        .select(WebhookRow::as_select())
        .order(webhooks::created_at.asc())
        .into_boxed();
    if let Some(a) = agencies {
        q = q.filter(webhooks::agency_id.eq_any(a.to_vec()));
    }
    Ok(q.load(conn).await?)
}

/// Stops a webhook (kept, so its past deliveries still name it).
pub async fn disable(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool, DbError> {
    let n = diesel::update(webhooks::table.find(id).filter(webhooks::enabled.eq(true)))
        .set(webhooks::enabled.eq(false))
        .execute(conn)
        .await?;
    Ok(n == 1)
}
