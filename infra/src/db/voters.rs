//! The voters each deputy keeps in touch with (每名代表联系选民): citizens who followed the deputy.

use super::schema::{deputy_voters, voter_ratings};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// The citizen follows the deputy; following again changes nothing. Answers since when they follow.
pub async fn follow(
    conn: &mut AsyncPgConnection,
    deputy: Uuid,
    voter: Uuid,
    at: DateTime<Utc>,
) -> Result<DateTime<Utc>, DbError> {
    // A no-op update on conflict makes RETURNING answer the row that was already there.
    Ok(diesel::insert_into(deputy_voters::table)
        .values((
            deputy_voters::deputy_id.eq(deputy),
            deputy_voters::voter_id.eq(voter),
            deputy_voters::since.eq(at),
        ))
        .on_conflict((deputy_voters::deputy_id, deputy_voters::voter_id))
        .do_update()
        .set(deputy_voters::since.eq(deputy_voters::since))
        .returning(deputy_voters::since)
        .get_result(conn)
        .await?)
}

pub async fn unfollow(conn: &mut AsyncPgConnection, deputy: Uuid, voter: Uuid) -> Result<(), DbError> {
    diesel::delete(
        deputy_voters::table
            .filter(deputy_voters::deputy_id.eq(deputy))
            .filter(deputy_voters::voter_id.eq(voter)),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Since when `voter` follows `deputy`, if they do.
pub async fn following_since(
    conn: &mut AsyncPgConnection,
    deputy: Uuid,
    voter: Uuid,
) -> Result<Option<DateTime<Utc>>, DbError> {
    Ok(deputy_voters::table
        .find((deputy, voter))
        .select(deputy_voters::since)
        .first(conn)
        .await
        .optional()?)
}

/// The deputy's voters.
pub async fn of_deputy(conn: &mut AsyncPgConnection, deputy: Uuid) -> Result<Vec<Uuid>, DbError> {
    Ok(deputy_voters::table
        .filter(deputy_voters::deputy_id.eq(deputy))
        .select(deputy_voters::voter_id)
        .order(deputy_voters::voter_id.asc())
        .load(conn)
        .await?)
}

/// The deputies a citizen follows.
pub async fn followed_by(conn: &mut AsyncPgConnection, voter: Uuid) -> Result<Vec<(Uuid, DateTime<Utc>)>, DbError> {
    Ok(deputy_voters::table
        .filter(deputy_voters::voter_id.eq(voter))
        .select((deputy_voters::deputy_id, deputy_voters::since))
        .order(deputy_voters::since.asc())
        .load(conn)
        .await?)
}

/// Forgets an erased citizen's links to deputies and their ratings of them.
pub async fn forget(conn: &mut AsyncPgConnection, voter: Uuid) -> Result<(), DbError> {
    diesel::delete(deputy_voters::table.filter(deputy_voters::voter_id.eq(voter)))
        .execute(conn)
        .await?;
    diesel::delete(voter_ratings::table.filter(voter_ratings::voter_id.eq(voter)))
        .execute(conn)
        .await?;
    Ok(())
}

/// A voter's ratings of deputies (for their export): `(deputy, year, stars, rated_at)`.
pub async fn ratings_by(
    conn: &mut AsyncPgConnection,
    voter: Uuid,
) -> Result<Vec<(Uuid, i32, i16, DateTime<Utc>)>, DbError> {
    Ok(voter_ratings::table
        .filter(voter_ratings::voter_id.eq(voter))
        .select((
            voter_ratings::deputy_id,
            voter_ratings::year,
            voter_ratings::stars,
            voter_ratings::rated_at,
        ))
        .order((voter_ratings::year.asc(), voter_ratings::deputy_id.asc()))
        .load(conn)
        .await?)
}
