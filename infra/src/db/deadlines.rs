//! Deadlines as PostgreSQL holds them (the truth issue 5's Redis schedule is rebuilt from): every stage that had one,
//! with when it started, when it is due, and how it ended.

use super::schema::deadlines;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::deadline::{Ending, Stage};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = deadlines)]
pub struct DeadlineRow {
    pub id: Uuid,
    pub issue_id: Uuid,
    pub stage: String,
    pub round: i16,
    pub agency_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
}

/// Starts a stage's deadline.
pub async fn open(
    conn: &mut AsyncPgConnection,
    issue_id: Uuid,
    stage: Stage,
    round: i16,
    agency: Option<Uuid>,
    started_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
) -> Result<DeadlineRow, DbError> {
    Ok(diesel::insert_into(deadlines::table)
        .values((
            deadlines::id.eq(Uuid::now_v7()),
            deadlines::issue_id.eq(issue_id),
            deadlines::stage.eq(stage.as_str()),
            deadlines::round.eq(round),
            deadlines::agency_id.eq(agency),
            deadlines::started_at.eq(started_at),
            deadlines::due_at.eq(due_at),
        ))
        .returning(DeadlineRow::as_returning())
        .get_result(conn)
        .await?)
}

/// Ends the open deadlines of these stages (if any).
pub async fn end(
    conn: &mut AsyncPgConnection,
    issue_id: Uuid,
    stages: &[Stage],
    outcome: Ending,
    at: DateTime<Utc>,
) -> Result<usize, DbError> {
    let stages: Vec<&str> = stages.iter().map(|s| s.as_str()).collect();
    Ok(diesel::update(
        deadlines::table
            .filter(deadlines::issue_id.eq(issue_id))
            .filter(deadlines::stage.eq_any(stages))
            .filter(deadlines::ended_at.is_null()),
    )
    .set((deadlines::ended_at.eq(at), deadlines::outcome.eq(outcome.as_str())))
    .execute(conn)
    .await?)
}

/// Moves an open deadline (an approved extension).
pub async fn move_due(conn: &mut AsyncPgConnection, id: Uuid, due_at: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(deadlines::table.find(id))
        .set(deadlines::due_at.eq(due_at))
        .execute(conn)
        .await?;
    Ok(())
}

/// The open deadlines of an issue, soonest first.
pub async fn open_of(conn: &mut AsyncPgConnection, issue_id: Uuid) -> Result<Vec<DeadlineRow>, DbError> {
    Ok(deadlines::table
        .filter(deadlines::issue_id.eq(issue_id))
        .filter(deadlines::ended_at.is_null())
        .select(DeadlineRow::as_select())
        .order(deadlines::due_at.asc())
        .load(conn)
        .await?)
}

/// The open deadlines of many issues (for lists), soonest first.
pub async fn open_of_many(conn: &mut AsyncPgConnection, issue_ids: &[Uuid]) -> Result<Vec<DeadlineRow>, DbError> {
    Ok(deadlines::table
        .filter(deadlines::issue_id.eq_any(issue_ids))
        .filter(deadlines::ended_at.is_null())
        .select(DeadlineRow::as_select())
        .order(deadlines::due_at.asc())
        .load(conn)
        .await?)
}

/// Open deadlines of one stage that fell due before `now`, oldest first (the worker's work list).
pub async fn due_before(
    conn: &mut AsyncPgConnection,
    stage: Stage,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DeadlineRow>, DbError> {
    Ok(deadlines::table
        .filter(deadlines::stage.eq(stage.as_str()))
        .filter(deadlines::ended_at.is_null())
        .filter(deadlines::due_at.le(now))
        .select(DeadlineRow::as_select())
        .order(deadlines::due_at.asc())
        .limit(limit)
        .load(conn)
        .await?)
}
