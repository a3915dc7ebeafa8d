//! 领单 — the money: the responsible agency (or staff) records what was allocated (拨付) and spent (支出), each entry
//! on the project's timeline, optionally with a photo of its document; the project's pages show the share spent
//! beside the share done, and a project spending far ahead of its progress, or far behind it, is flagged.

use super::timeline::record;
use super::{found, role_over};
use crate::app::error::AppResult;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::project::money::{SpendingKind, SpendingNote};
use domain::project::{today, EventKind};
use domain::Invalid;
use infra::db::photos::PhotoUse;
use infra::db::project_spending::SpendingRow;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

/// One entry of a project's money.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpendingEntry {
    pub id: Uuid,
    pub kind: SpendingKind,
    pub on_date: NaiveDate,
    pub amount_yuan: i64,
    pub note: String,
    /// A photo of its document (拨付文件, 发票), on the public page.
    pub photo_id: Option<Uuid>,
    pub recorded_at: DateTime<Utc>,
}

impl SpendingEntry {
    #[must_use]
    pub fn of((row, photo_id): (SpendingRow, Option<Uuid>)) -> Self {
        SpendingEntry {
            id: row.id,
            kind: row.kind.parse().unwrap_or(SpendingKind::Spent),
            on_date: row.on_date,
            amount_yuan: row.amount_yuan,
            note: row.note,
            photo_id,
            recorded_at: row.recorded_at,
        }
    }
}

/// An entry as its recorder writes it, checked but for its day.
pub struct NewEntry {
    pub kind: SpendingKind,
    pub on_date: NaiveDate,
    pub amount_yuan: i64,
    pub note: SpendingNote,
    pub photo: Option<Uuid>,
}

/// Records an entry in one transaction: the row, its photo and the timeline's event. Done: the entry.
///
/// # Errors
/// 404 / 403 by role (the agency's handlers and staff record); `validation_failed` on `on_date` in the future; the
/// photo's own refusal.
pub async fn record_entry<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    project: Uuid,
    entry: NewEntry,
    answer: impl FnOnce(SpendingEntry) -> AppResult<K> + Send,
) -> AppResult<K> {
    let now = state.clock.now();
    if entry.on_date > today(now) {
        return Err(Invalid::new("on_date", "future", "money is recorded once it moved, not before").into());
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?.may_record_money()?;
    let actor = &caller.actor;
    let row = SpendingRow {
        id: Uuid::now_v7(),
        project_id: project,
        kind: entry.kind.as_str().to_owned(),
        on_date: entry.on_date,
        amount_yuan: entry.amount_yuan,
        note: entry.note.as_str().to_owned(),
        recorded_by: actor.user_id,
        recorded_at: now,
    };
    let photo = entry.photo;
    commit(
        &mut conn,
        |conn| {
            async move {
                infra::db::project_spending::insert(conn, &row).await?;
                if let Some(p) = photo {
                    crate::app::photos::attach_own(conn, actor.user_id, &[p], PhotoUse::Spending(row.id))
                        .await
                        .map_err(|e| e.with_field("photo_id"))?;
                }
                let note = domain::project::money::sentence(entry.kind, row.amount_yuan, row.on_date, &row.note);
                let data = json!({ "entry_id": row.id, "kind": entry.kind, "amount_yuan": row.amount_yuan,
                                   "on_date": row.on_date });
                record(
                    conn,
                    project,
                    EventKind::MoneyRecorded,
                    Some(actor),
                    Some(&note),
                    data,
                    now,
                )
                .await?;
                Ok(SpendingEntry::of((row, photo)))
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// A project's entries by day.
///
/// # Errors
/// PostgreSQL failing.
pub async fn entries(conn: &mut infra::db::PgConn, project: Uuid) -> AppResult<Vec<SpendingEntry>> {
    Ok(infra::db::project_spending::of(conn, project)
        .await?
        .into_iter()
        .map(SpendingEntry::of)
        .collect())
}
