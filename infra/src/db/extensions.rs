//! Extension requests (延期申请) and ratings of replies: the rows a command leaves besides its event.

use super::schema::{extensions, ratings};
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = extensions)]
pub struct ExtensionRow {
    pub id: Uuid,
    pub issue_id: Uuid,
    pub round: i16,
    pub agency_id: Uuid,
    pub requested_by: Uuid,
    pub days: i16,
    pub unit: String,
    pub reason: String,
    pub decision: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = extensions)]
pub struct NewExtension<'a> {
    pub id: Uuid,
    pub issue_id: Uuid,
    pub round: i16,
    pub agency_id: Uuid,
    pub requested_by: Uuid,
    pub days: i16,
    pub unit: &'a str,
    pub reason: &'a str,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewExtension<'_>) -> Result<ExtensionRow, DbError> {
    Ok(diesel::insert_into(extensions::table)
        .values(new)
        .returning(ExtensionRow::as_returning())
        .get_result(conn)
        .await?)
}

/// The request still waiting for a decision, if any.
pub async fn pending(conn: &mut AsyncPgConnection, issue_id: Uuid) -> Result<Option<ExtensionRow>, DbError> {
    Ok(extensions::table
        .filter(extensions::issue_id.eq(issue_id))
        .filter(extensions::decision.is_null())
        .select(ExtensionRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    decision: &str,
    by: Option<Uuid>,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(extensions::table.find(id))
        .set((
            extensions::decision.eq(decision),
            extensions::decided_by.eq(by),
            extensions::decided_at.eq(at),
            extensions::decision_note.eq(note),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Withdraws the request still waiting for a decision, if any, in one statement; answers its id.
pub async fn withdraw(
    conn: &mut AsyncPgConnection,
    issue_id: Uuid,
    by: Uuid,
    note: &str,
    at: DateTime<Utc>,
) -> Result<Option<Uuid>, DbError> {
    Ok(diesel::update(
        extensions::table
            .filter(extensions::issue_id.eq(issue_id))
            .filter(extensions::decision.is_null()),
    )
    .set((
        extensions::decision.eq("withdrawn"),
        extensions::decided_by.eq(by),
        extensions::decided_at.eq(at),
        extensions::decision_note.eq(note),
    ))
    .returning(extensions::id)
    .get_result(conn)
    .await
    .optional()?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ratings)]
pub struct RatingRow {
    pub id: Uuid,
    pub issue_id: Uuid,
    pub round: i16,
    pub rater_id: Uuid,
    pub rater_role: String,
    pub rating: String,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Records a rating of the issue's current round; the reporter's (`by_reporter`) is also the issue's own. One
/// statement.
#[allow(clippy::too_many_arguments)]
pub async fn rate(
    conn: &mut AsyncPgConnection,
    issue_id: Uuid,
    round: i16,
    rater: Uuid,
    rater_role: &str,
    by_reporter: bool,
    rating: &str,
    comment: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    use diesel::sql_types::{Bool, Int2, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    diesel::sql_query(
        "WITH kept AS (UPDATE issues SET rating = $6 WHERE id = $2 AND $9)
         INSERT INTO ratings (id, issue_id, round, rater_id, rater_role, rating, comment, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<SqlUuid, _>(issue_id)
    .bind::<Int2, _>(round)
    .bind::<SqlUuid, _>(rater)
    .bind::<Text, _>(rater_role)
    .bind::<Text, _>(rating)
    .bind::<Nullable<Text>, _>(comment)
    .bind::<Timestamptz, _>(at)
    .bind::<Bool, _>(by_reporter)
    .cached()
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn ratings_by(conn: &mut AsyncPgConnection, rater: Uuid) -> Result<Vec<RatingRow>, DbError> {
    Ok(ratings::table
        .filter(ratings::rater_id.eq(rater))
        .select(RatingRow::as_select())
        .order(ratings::created_at.asc())
        .load(conn)
        .await?)
}
