//! Photos' rows (their bytes are in storage): who uploaded them and the issue they were attached to.

use super::schema::photos;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Deserialize)]
#[diesel(table_name = photos)]
pub struct PhotoRow {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub issue_id: Option<Uuid>,
    pub sha256: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub size_bytes: i32,
    pub created_at: DateTime<Utc>,
    pub report_id: Option<Uuid>,
    /// The money entry whose document it shows (拨付 / 支出).
    pub spending_id: Option<Uuid>,
}

impl PhotoRow {
    /// Where the re-encoded picture is stored.
    #[must_use]
    pub fn key(id: Uuid) -> String {
        let s = id.simple().to_string();
        format!("photos/{}/{s}.jpg", &s[s.len() - 2..])
    }

    #[must_use]
    pub fn thumbnail_key(id: Uuid) -> String {
        let s = id.simple().to_string();
        format!("photos/{}/{s}.thumb.jpg", &s[s.len() - 2..])
    }
}

/// The photo `owner` already uploaded with these bytes, if any: a retried upload answers the first photo.
pub async fn find_by_hash(
    conn: &mut AsyncPgConnection,
    owner: Uuid,
    sha256: &str,
) -> Result<Option<PhotoRow>, DbError> {
    Ok(photos::table
        .filter(photos::owner_id.eq(owner))
        .filter(photos::sha256.eq(sha256))
        .select(PhotoRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Inserts the row, or answers the row a concurrent identical upload inserted first.
pub async fn insert(conn: &mut AsyncPgConnection, row: &PhotoRow) -> Result<PhotoRow, DbError> {
    let inserted = diesel::insert_into(photos::table)
        .values(row)
        .on_conflict((photos::owner_id, photos::sha256))
        .do_nothing()
        .execute(conn)
        .await?;
    if inserted == 1 {
        return Ok(row.clone());
    }
    find_by_hash(conn, row.owner_id, &row.sha256)
        .await?
        .ok_or(DbError::Query(diesel::result::Error::NotFound))
}

/// Photo `id`. The connection is taken shared, so that another statement can be sent on it before this one answers
/// (one wait for both).
pub async fn find(conn: &AsyncPgConnection, id: Uuid) -> Result<Option<PhotoRow>, DbError> {
    Ok(photos::table
        .find(id)
        .select(PhotoRow::as_select())
        .first(&mut { conn })
        .await
        .optional()?)
}

/// What a photo serves: an issue, a project report or a money entry's document, one at most (migrations 000009, 000030).
#[derive(Debug, Clone, Copy)]
pub enum PhotoUse {
    Issue(Uuid),
    Report(Uuid),
    Spending(Uuid),
}

/// Attaches the owner's unused photos to an issue or a report; answers the ids that could not be (not theirs,
/// unknown, or already used).
pub async fn attach(
    conn: &mut AsyncPgConnection,
    owner: Uuid,
    ids: &[Uuid],
    to: PhotoUse,
) -> Result<Attached, DbError> {
    if ids.is_empty() {
        return Ok(Attached::default());
    }
    let unused = photos::table
        .filter(photos::id.eq_any(ids))
        .filter(photos::owner_id.eq(owner))
        .filter(photos::issue_id.is_null())
        .filter(photos::report_id.is_null())
        .filter(photos::spending_id.is_null());
    let attached: Vec<(Uuid, Option<String>)> = match to {
        PhotoUse::Issue(issue) => {
            diesel::update(unused)
                .set(photos::issue_id.eq(issue))
                .returning((photos::id, photos::check_verdict))
                .get_results(conn)
                .await?
        }
        PhotoUse::Report(report) => {
            diesel::update(unused)
                .set(photos::report_id.eq(report))
                .returning((photos::id, photos::check_verdict))
                .get_results(conn)
                .await?
        }
        PhotoUse::Spending(entry) => {
            diesel::update(unused)
                .set(photos::spending_id.eq(entry))
                .returning((photos::id, photos::check_verdict))
                .get_results(conn)
                .await?
        }
    };
    Ok(Attached {
        refused: ids
            .iter()
            .copied()
            .filter(|i| !attached.iter().any(|(a, _)| a == i))
            .collect(),
        risky: attached.iter().any(|(_, verdict)| verdict.as_deref() == Some("risky")),
    })
}

/// What attaching photos came to.
#[derive(Debug, Default)]
pub struct Attached {
    /// The photos that could not be attached (not the owner's, or in use), in the order asked.
    pub refused: Vec<Uuid>,
    /// Whether WeChat's picture check already found one of those attached risky.
    pub risky: bool,
}

pub async fn of_issue(conn: &mut AsyncPgConnection, issue_id: Uuid) -> Result<Vec<PhotoRow>, DbError> {
    Ok(photos::table
        .filter(photos::issue_id.eq(issue_id))
        .select(PhotoRow::as_select())
        .order(photos::id.asc())
        .load(conn)
        .await?)
}

pub async fn of_owner(conn: &mut AsyncPgConnection, owner: Uuid) -> Result<Vec<PhotoRow>, DbError> {
    Ok(photos::table
        .filter(photos::owner_id.eq(owner))
        .select(PhotoRow::as_select())
        .order(photos::id.asc())
        .load(conn)
        .await?)
}

/// Photo `id` was sent to WeChat's content check under `trace_id`: its verdict is pending.
pub async fn check_sent(conn: &mut AsyncPgConnection, id: Uuid, trace_id: &str) -> Result<(), DbError> {
    diesel::update(photos::table.find(id))
        .set((photos::check_trace_id.eq(trace_id), photos::check_verdict.eq("pending")))
        .execute(conn)
        .await?;
    Ok(())
}

/// Photo `id` could not be sent to WeChat's content check: a person is to look at it.
pub async fn check_unsent(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), DbError> {
    diesel::update(photos::table.find(id))
        .set(photos::check_verdict.eq("review"))
        .execute(conn)
        .await?;
    Ok(())
}

/// Records WeChat's verdict (`pass`, `review`, `risky`) on the photo sent under `trace_id`; answers the photo and the
/// issue it belongs to, or `None` for a trace id of no photo of ours (a push repeated after the photo was erased).
pub async fn record_verdict(
    conn: &mut AsyncPgConnection,
    trace_id: &str,
    verdict: &str,
) -> Result<Option<(Uuid, Option<Uuid>)>, DbError> {
    Ok(
        diesel::update(photos::table.filter(photos::check_trace_id.eq(trace_id)))
            .set(photos::check_verdict.eq(verdict))
            .returning((photos::id, photos::issue_id))
            .get_result(conn)
            .await
            .optional()?,
    )
}

/// Whether photo `id` waits for WeChat's content check (sent, no verdict yet).
pub async fn awaits_check(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool, DbError> {
    let verdict: Option<Option<String>> = photos::table
        .find(id)
        .select(photos::check_verdict)
        .first(conn)
        .await
        .optional()?;
    Ok(verdict.flatten().as_deref() == Some("pending"))
}
