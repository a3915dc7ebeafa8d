//! Remembered answers to create commands sent with an `Idempotency-Key`.

use super::schema::idempotency_keys as keys;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// A stored first answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// What to do with a request that carries a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First time: the request is now marked in progress; answer it and then `finish` or `abandon`.
    Started,
    /// Answered before: send the stored answer again.
    Replay(Stored),
    /// The same key came with a different request.
    Mismatch,
    /// The first request with this key is still being answered.
    InProgress,
}

type Row = (String, Option<i16>, Option<String>, Option<String>, Option<Vec<u8>>);

/// Claims `key` for `user`, atomically: of concurrent requests with one key exactly one gets `Started`.
pub async fn claim(conn: &mut AsyncPgConnection, user: Uuid, key: &str, request_hash: &str) -> Result<Claim, DbError> {
    // A claim can be let go of (a failed first try's, in the background) between the insert that finds it and the
    // read that follows; then the key is free again and the insert is tried once more.
    for _ in 0..3 {
        let inserted = diesel::insert_into(keys::table)
            .values((
                keys::user_id.eq(user),
                keys::key.eq(key),
                keys::request_hash.eq(request_hash),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if inserted == 1 {
            return Ok(Claim::Started);
        }
        let found: Option<Row> = keys::table
            .find((user, key))
            .select((
                keys::request_hash,
                keys::status,
                keys::content_type,
                keys::location,
                keys::body,
            ))
            .first(conn)
            .await
            .optional()?;
        let Some((hash, status, content_type, location, body)) = found else {
            continue;
        };
        return Ok(match status {
            _ if hash != request_hash => Claim::Mismatch,
            None if take_over(conn, user, key).await? => Claim::Started,
            None => Claim::InProgress,
            Some(status) => Claim::Replay(Stored {
                status: u16::try_from(status).unwrap_or(500),
                content_type,
                location,
                body: body.unwrap_or_default(),
            }),
        });
    }
    // Claimed and let go of three times over within one request: someone else is working this key hard.
    Ok(Claim::InProgress)
}

/// How long a claim may stay unanswered before a retry takes it over. A request is answered (or times out) within
/// seconds; a claim older than this belongs to a request whose answer could not be stored because the database went
/// away under it, and without a takeover its key would answer 409 until it is purged a day later.
const ABANDONED_AFTER_SECONDS: i64 = 60;

/// Takes over an unanswered claim older than `ABANDONED_AFTER_SECONDS`; of concurrent retries one wins.
async fn take_over(conn: &mut AsyncPgConnection, user: Uuid, key: &str) -> Result<bool, DbError> {
    // A claim is abandoned by the wall clock: it measures how long a request has been running, not business time.
    let now = Utc::now();
    let cutoff = now - chrono::Duration::seconds(ABANDONED_AFTER_SECONDS);
    let taken = diesel::update(
        keys::table
            .find((user, key))
            .filter(keys::status.is_null())
            .filter(keys::created_at.lt(cutoff)),
    )
    .set(keys::created_at.eq(now))
    .execute(conn)
    .await?;
    Ok(taken == 1)
}

/// Stores the first answer.
pub async fn finish(conn: &mut AsyncPgConnection, user: Uuid, key: &str, answer: &Stored) -> Result<(), DbError> {
    diesel::update(keys::table.find((user, key)))
        .set((
            keys::status.eq(i16::try_from(answer.status).unwrap_or(500)),
            keys::content_type.eq(answer.content_type.as_deref()),
            keys::location.eq(answer.location.as_deref()),
            keys::body.eq(&answer.body),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets a claim whose request failed on our side, so the client's retry is answered afresh — unless the command
/// stored its answer in its own transaction before the failure, in which case the retry replays it.
pub async fn abandon(conn: &mut AsyncPgConnection, user: Uuid, key: &str) -> Result<(), DbError> {
    diesel::delete(keys::table.find((user, key)).filter(keys::status.is_null()))
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes keys created before `cutoff`; returns how many.
pub async fn purge_before(conn: &mut AsyncPgConnection, cutoff: DateTime<Utc>) -> Result<usize, DbError> {
    Ok(diesel::delete(keys::table.filter(keys::created_at.lt(cutoff)))
        .execute(conn)
        .await?)
}
