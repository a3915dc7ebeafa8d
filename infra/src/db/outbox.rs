//! The transactional outbox: messages to WeChat and to agency webhooks, written in the transaction of the change
//! they announce and delivered by the worker. A row is claimed for a lease (`FOR UPDATE SKIP LOCKED`), so two
//! workers never send it at once; one row per channel, recipient and event, so nobody hears of an event twice.

use super::schema::outbox;
use super::DbError;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: Uuid,
    pub channel: String,
    pub user_id: Option<Uuid>,
    pub webhook_id: Option<Uuid>,
    pub issue_id: Option<Uuid>,
    pub kind: String,
    pub event_key: String,
    pub payload: Value,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// A citizen, by WeChat subscribe message.
    WeChat(Uuid),
    /// An agency system.
    Webhook(Uuid),
}

/// Queues one message; the same recipient and event again changes nothing. True when it was new.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    to: Recipient,
    issue_id: Option<Uuid>,
    kind: &str,
    event_key: &str,
    payload: &Value,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let (channel, user, hook) = match to {
        Recipient::WeChat(u) => ("wechat", Some(u), None),
        Recipient::Webhook(h) => ("webhook", None, Some(h)),
    };
    let n = diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(Uuid::now_v7()),
            outbox::channel.eq(channel),
            outbox::user_id.eq(user),
            outbox::webhook_id.eq(hook),
            outbox::issue_id.eq(issue_id),
            outbox::kind.eq(kind),
            outbox::event_key.eq(event_key),
            outbox::payload.eq(payload),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(n == 1)
}

/// Claims up to `limit` messages that are due, for `lease`: nobody else takes them until it runs out (a worker that
/// dies mid-delivery leaves them to the next one after the lease).
pub async fn claim(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<OutboxRow>, DbError> {
    // Diesel cannot update through a locking subquery; the statement is plain SQL with bound values.
    Ok(diesel::sql_query(
        "UPDATE outbox SET locked_until = $2, attempts = attempts + 1 WHERE id IN ( \
             SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
             AND (locked_until IS NULL OR locked_until <= $1) \
             ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
         RETURNING *",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .bind::<diesel::sql_types::Timestamptz, _>(now + lease)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await?)
}

/// How a delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The recipient refused (WeChat 43101): final, not an error.
    Refused(String),
    /// Try again at the given moment.
    Retry {
        error: String,
        at: DateTime<Utc>,
    },
    /// Given up: listed for admins as a dead letter.
    Dead(String),
}

/// Records how a claimed message's delivery went.
pub async fn settle(conn: &mut AsyncPgConnection, id: Uuid, d: &Delivery, now: DateTime<Utc>) -> Result<(), DbError> {
    let row = outbox::table.find(id);
    match d {
        Delivery::Sent => {
            diesel::update(row)
                .set((
                    outbox::status.eq("sent"),
                    outbox::sent_at.eq(Some(now)),
                    outbox::locked_until.eq(None::<DateTime<Utc>>),
                ))
                .execute(conn)
                .await?
        }
        Delivery::Refused(e) | Delivery::Dead(e) => {
            let status = if matches!(d, Delivery::Refused(_)) {
                "refused"
            } else {
                "dead"
            };
            diesel::update(row)
                .set((
                    outbox::status.eq(status),
                    outbox::last_error.eq(Some(e)),
                    outbox::locked_until.eq(None::<DateTime<Utc>>),
                ))
                .execute(conn)
                .await?
        }
        Delivery::Retry { error, at } => {
            diesel::update(row)
                .set((
                    outbox::last_error.eq(Some(error)),
                    outbox::next_attempt_at.eq(at),
                    outbox::locked_until.eq(None::<DateTime<Utc>>),
                ))
                .execute(conn)
                .await?
        }
    };
    Ok(())
}

/// Messages in one status, of one channel when asked, newest first (dead letters for admins), after the keyset
/// cursor.
pub async fn in_status(
    conn: &mut AsyncPgConnection,
    status: &str,
    channel: Option<&str>,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<OutboxRow>, DbError> {
    let mut q = outbox::table
        .filter(outbox::status.eq(status))
        .select(OutboxRow::as_select())
        .order(outbox::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(c) = channel {
        q = q.filter(outbox::channel.eq(c.to_owned()));
    }
    if let Some(b) = before {
        q = q.filter(outbox::id.lt(b));
    }
    Ok(q.load(conn).await?)
}

/// How many messages each channel holds in each status, and how many of them were tried more than once.
pub async fn tally(conn: &mut AsyncPgConnection) -> Result<Vec<(String, String, i64, i64)>, DbError> {
    use diesel::dsl::{count_star, sql};
    use diesel::sql_types::BigInt;
    Ok(outbox::table
        .group_by((outbox::channel, outbox::status))
        .select((
            outbox::channel,
            outbox::status,
            count_star(),
            sql::<BigInt>("count(*) FILTER (WHERE attempts > 1)"),
        ))
        .order((outbox::channel, outbox::status))
        .load(conn)
        .await?)
}

/// Puts a dead letter back in the queue (an admin fixed the receiving end).
pub async fn revive(conn: &mut AsyncPgConnection, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbError> {
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq("dead")))
        .set((
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(n == 1)
}

/// Counts by status, for tests and the benchmark.
pub async fn count(conn: &mut AsyncPgConnection, kind: Option<&str>) -> Result<i64, DbError> {
    let mut q = outbox::table.count().into_boxed();
    if let Some(k) = kind {
        q = q.filter(outbox::kind.eq(k));
    }
    Ok(q.get_result(conn).await?)
}

/// What waits in the outbox, for the operator's gauges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    pub pending: i64,
    pub dead: i64,
    pub oldest_pending: Option<DateTime<Utc>>,
}

/// The outbox's backlog, in one statement over its two partial indexes (pending, dead): never the delivered rows.
pub async fn backlog(conn: &mut AsyncPgConnection) -> Result<Backlog, DbError> {
    use diesel::sql_types::{BigInt, Nullable, Timestamptz};
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        pending: i64,
        #[diesel(sql_type = BigInt)]
        dead: i64,
        #[diesel(sql_type = Nullable<Timestamptz>)]
        oldest: Option<DateTime<Utc>>,
    }
    let row: Row = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE status = 'pending') AS pending, \
                count(*) FILTER (WHERE status = 'dead') AS dead, \
                min(created_at) FILTER (WHERE status = 'pending') AS oldest \
         FROM outbox WHERE status = 'pending' OR status = 'dead'",
    )
    .get_result(conn)
    .await?;
    Ok(Backlog {
        pending: row.pending,
        dead: row.dead,
        oldest_pending: row.oldest,
    })
}
