//! A ballot's papers (migration 000020): cast under a spent token's hash and held, settled among the ballot's papers in
//! batches, counted, and resealed at the tally. Nothing here knows a deputy: a paper is known by its token's hash and
//! its receipt only.

use crate::db::schema::{ballot_papers, ballot_papers_held, ballots};
use crate::db::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// What casting a paper came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cast {
    /// The paper is in.
    New,
    /// This token already cast these same choices (a retry whose answer was lost).
    Again,
    /// This token already cast other choices.
    Spent,
}

/// A transaction-scoped advisory lock on a ballot's papers: casting takes it shared (many at once), settling takes it
/// alone, so a paper is never both held and settled, nor settled between a cast's look and its insert. An advisory
/// lock leaves no mark on any row, unlike a row lock on the ballot, whose `xmax` would name the last caster's
/// transaction.
async fn lock_papers(conn: &mut AsyncPgConnection, ballot: Uuid, alone: bool) -> Result<(), DbError> {
    let sql = if alone {
        "SELECT pg_advisory_xact_lock(hashtext('ballot_papers'), hashtext($1::text))::text AS locked"
    } else {
        "SELECT pg_advisory_xact_lock_shared(hashtext('ballot_papers'), hashtext($1::text))::text AS locked"
    };
    diesel::sql_query(sql).bind::<SqlUuid, _>(ballot).execute(conn).await?;
    Ok(())
}

/// Casts a paper under a spent token's hash, once per token: it is held (durable, but not yet among the ballot's
/// papers) until the worker settles it. One short transaction of its own.
pub async fn cast(
    conn: &mut AsyncPgConnection,
    ballot: Uuid,
    token_hash: &[u8],
    choices: &[Uuid],
    receipt_hash: &[u8],
) -> Result<Cast, DbError> {
    conn.transaction(async |conn| {
        lock_papers(conn, ballot, false).await?;
        let settled: Option<Vec<Uuid>> = ballot_papers::table
            .find((ballot, token_hash))
            .select(ballot_papers::choices)
            .first(conn)
            .await
            .optional()?;
        if let Some(before) = settled {
            return Ok(if before == choices { Cast::Again } else { Cast::Spent });
        }
        let n = diesel::insert_into(ballot_papers_held::table)
            .values((
                ballot_papers_held::ballot_id.eq(ballot),
                ballot_papers_held::token_hash.eq(token_hash),
                ballot_papers_held::choices.eq(choices),
                ballot_papers_held::receipt_hash.eq(receipt_hash),
            ))
            .on_conflict((ballot_papers_held::ballot_id, ballot_papers_held::token_hash))
            .do_nothing()
            .execute(conn)
            .await?;
        if n == 1 {
            return Ok(Cast::New);
        }
        let before: Vec<Uuid> = ballot_papers_held::table
            .find((ballot, token_hash))
            .select(ballot_papers_held::choices)
            .first(conn)
            .await?;
        Ok(if before == choices { Cast::Again } else { Cast::Spent })
    })
    .await
}

/// Moves every held paper of `ballot` among its papers, in one statement, in random order, in the caller's
/// transaction (which takes the ballot's paper lock alone): the papers of one batch share one transaction and lie in
/// no order of arrival. Answers how many moved.
pub async fn settle(conn: &mut AsyncPgConnection, ballot: Uuid) -> Result<usize, DbError> {
    lock_papers(conn, ballot, true).await?;
    Ok(diesel::sql_query(
        "WITH held AS (DELETE FROM ballot_papers_held WHERE ballot_id = $1 RETURNING *) \
         INSERT INTO ballot_papers (ballot_id, token_hash, choices, receipt_hash) \
         SELECT ballot_id, token_hash, choices, receipt_hash FROM held ORDER BY random()",
    )
    .bind::<SqlUuid, _>(ballot)
    .execute(conn)
    .await?)
}

/// The ballots not yet tallied that hold papers, with how many each holds and when it closes.
pub async fn holding(conn: &mut AsyncPgConnection) -> Result<Vec<(Uuid, i64, DateTime<Utc>)>, DbError> {
    Ok(ballot_papers_held::table
        .inner_join(ballots::table)
        .filter(ballots::closed_at.is_null())
        .group_by((ballots::id, ballots::closes_at))
        .select((ballots::id, diesel::dsl::count_star(), ballots::closes_at))
        .load(conn)
        .await?)
}

/// Removes the dead rows settling left in the holding table, with the transaction ids they carried.
pub async fn vacuum_held(conn: &mut AsyncPgConnection) -> Result<(), DbError> {
    diesel::sql_query("VACUUM ballot_papers_held").execute(conn).await?;
    Ok(())
}

/// Papers cast so far, held or settled.
pub async fn papers_cast(conn: &mut AsyncPgConnection, ballot: Uuid) -> Result<i64, DbError> {
    let settled: i64 = ballot_papers::table
        .filter(ballot_papers::ballot_id.eq(ballot))
        .count()
        .get_result(conn)
        .await?;
    let held: i64 = ballot_papers_held::table
        .filter(ballot_papers_held::ballot_id.eq(ballot))
        .count()
        .get_result(conn)
        .await?;
    Ok(settled + held)
}

/// Whether a paper with this receipt is among the ballot's, held or settled: either way it is in, and will be counted.
pub async fn counted(conn: &mut AsyncPgConnection, ballot: Uuid, receipt_hash: &[u8]) -> Result<bool, DbError> {
    let settled = ballot_papers::table
        .filter(ballot_papers::ballot_id.eq(ballot))
        .filter(ballot_papers::receipt_hash.eq(receipt_hash));
    let held = ballot_papers_held::table
        .filter(ballot_papers_held::ballot_id.eq(ballot))
        .filter(ballot_papers_held::receipt_hash.eq(receipt_hash));
    Ok(
        diesel::select(diesel::dsl::exists(settled).or(diesel::dsl::exists(held)))
            .get_result(conn)
            .await?,
    )
}

/// Every settled paper's choices, for the tally (closing settles the held ones first).
pub async fn papers(conn: &mut AsyncPgConnection, ballot: Uuid) -> Result<Vec<Vec<Uuid>>, DbError> {
    Ok(ballot_papers::table
        .filter(ballot_papers::ballot_id.eq(ballot))
        .select(ballot_papers::choices)
        .load(conn)
        .await?)
}

/// Rewrites the ballot's papers in receipt order, in the caller's transaction: afterwards they all carry that
/// transaction's xmin and lie in an order that has nothing to do with when they were cast.
pub async fn reseal(conn: &mut AsyncPgConnection, ballot: Uuid) -> Result<(), DbError> {
    diesel::sql_query(
        "WITH cast_papers AS (DELETE FROM ballot_papers WHERE ballot_id = $1 RETURNING *) \
         INSERT INTO ballot_papers (ballot_id, token_hash, choices, receipt_hash) \
         SELECT ballot_id, token_hash, choices, receipt_hash FROM cast_papers ORDER BY receipt_hash",
    )
    .bind::<SqlUuid, _>(ballot)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rewrites the papers in receipt order with the dead versions the reseal left behind removed, once its transaction
/// committed. The reseal's own inserts go where PostgreSQL finds free space, and the holes that voting left (a
/// conflicting concurrent vote leaves a dead row) would scatter some of them out of order; CLUSTER on the receipt
/// index lays every ballot's papers in receipt order whatever the free space was. The table is small and locked for
/// the moment it takes.
pub async fn rewrite_papers_in_receipt_order(conn: &mut AsyncPgConnection) -> Result<(), DbError> {
    diesel::sql_query("CLUSTER ballot_papers USING ballot_papers_receipt_hash_key")
        .execute(conn)
        .await?;
    Ok(())
}
