//! Sign-in codes texted to phones (migration 000022): kept by hashes only, for a few minutes and a few tries.

use super::DbError;
use chrono::{DateTime, Utc};
use diesel::sql_types::{Bytea, Timestamptz};
use diesel::OptionalExtension;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

/// Keeps a new code for the phone unless one was sent since `resend_after`: answers false then (too soon).
pub async fn keep(
    conn: &mut AsyncPgConnection,
    phone_hash: &[u8],
    code_hash: &[u8],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    resend_after: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = diesel::sql_query(
        "INSERT INTO sms_codes (phone_hash, code_hash, sent_at, expires_at, attempts) VALUES ($1, $2, $3, $4, 0) \
         ON CONFLICT (phone_hash) DO UPDATE SET code_hash = EXCLUDED.code_hash, sent_at = EXCLUDED.sent_at, \
         expires_at = EXCLUDED.expires_at, attempts = 0 WHERE sms_codes.sent_at <= $5",
    )
    .bind::<Bytea, _>(phone_hash)
    .bind::<Bytea, _>(code_hash)
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(expires_at)
    .bind::<Timestamptz, _>(resend_after)
    .execute(conn)
    .await?;
    Ok(n == 1)
}

/// Forgets the phone's code (it could not be sent, or it was used).
pub async fn forget(conn: &mut AsyncPgConnection, phone_hash: &[u8]) -> Result<(), DbError> {
    diesel::sql_query("DELETE FROM sms_codes WHERE phone_hash = $1")
        .bind::<Bytea, _>(phone_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// What presenting a code came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// The right code, in time: it is used up now (kept, spent, for the minute between codes).
    Right,
    /// No code for this phone, or it expired, or it is wrong (one try less).
    Wrong,
    /// Tried too often: the code no longer works.
    Spent,
}

#[derive(diesel::QueryableByName)]
struct Kept {
    #[diesel(sql_type = Bytea)]
    code_hash: Vec<u8>,
    #[diesel(sql_type = Timestamptz)]
    expires_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
}

/// Checks `code_hash` against the phone's code, in one transaction: a right code is used up, a wrong one counts a
/// try, and after `max_tries` the code is spent.
pub async fn present(
    conn: &mut AsyncPgConnection,
    phone_hash: &[u8],
    code_hash: &[u8],
    now: DateTime<Utc>,
    max_tries: i32,
) -> Result<Presented, DbError> {
    conn.transaction(async |conn| {
        let kept: Option<Kept> =
            diesel::sql_query("SELECT code_hash, expires_at, attempts FROM sms_codes WHERE phone_hash = $1 FOR UPDATE")
                .bind::<Bytea, _>(phone_hash)
                .get_result(conn)
                .await
                .optional()?;
        let Some(kept) = kept else { return Ok(Presented::Wrong) };
        if kept.attempts >= max_tries {
            return Ok(Presented::Spent);
        }
        if kept.expires_at <= now {
            return Ok(Presented::Wrong);
        }
        if kept.code_hash == code_hash {
            // Used up, but kept until it would have expired: its sending time still spaces the next code.
            diesel::sql_query("UPDATE sms_codes SET code_hash = '\\x'::bytea, expires_at = $2 WHERE phone_hash = $1")
                .bind::<Bytea, _>(phone_hash)
                .bind::<Timestamptz, _>(now)
                .execute(conn)
                .await?;
            return Ok(Presented::Right);
        }
        diesel::sql_query("UPDATE sms_codes SET attempts = attempts + 1 WHERE phone_hash = $1")
            .bind::<Bytea, _>(phone_hash)
            .execute(conn)
            .await?;
        Ok(if kept.attempts + 1 >= max_tries {
            Presented::Spent
        } else {
            Presented::Wrong
        })
    })
    .await
}
