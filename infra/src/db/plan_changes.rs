//! Requests to change an elected project's plan and what staff decided, and the milestones an approval changes.

use super::deadlines::DeadlineRow;
use super::schema::{milestones, plan_changes};
use super::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::warning::Timing;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_changes)]
pub struct PlanChangeRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub kind: String,
    pub milestone_id: Option<Uuid>,
    pub title: Option<String>,
    pub planned_on: Option<NaiveDate>,
    pub reason: String,
    pub asked_by: Uuid,
    pub asked_at: DateTime<Utc>,
    pub decision: Option<String>,
    pub decision_note: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The constraint that keeps one open request a milestone.
pub const OPEN_PER_MILESTONE: &str = "plan_changes_open_milestone";

pub async fn insert(conn: &mut AsyncPgConnection, row: &PlanChangeRow) -> Result<(), DbError> {
    diesel::insert_into(plan_changes::table)
        .values(row)
        .execute(conn)
        .await?;
    Ok(())
}

/// The request, locked until the transaction ends, if it is one of `project`'s.
pub async fn lock(conn: &mut AsyncPgConnection, project: Uuid, id: Uuid) -> Result<Option<PlanChangeRow>, DbError> {
    Ok(plan_changes::table
        .find(id)
        .filter(plan_changes::project_id.eq(project))
        .select(PlanChangeRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// Records staff's decision on a request.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    decision: &str,
    note: Option<&str>,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<PlanChangeRow, DbError> {
    Ok(diesel::update(plan_changes::table.find(id))
        .set((
            plan_changes::decision.eq(decision),
            plan_changes::decision_note.eq(note),
            plan_changes::decided_by.eq(by),
            plan_changes::decided_at.eq(at),
        ))
        .returning(PlanChangeRow::as_returning())
        .get_result(conn)
        .await?)
}

/// A project's requests, newest first; only the open ones when `open` is set.
pub async fn of(conn: &mut AsyncPgConnection, project: Uuid, open: bool) -> Result<Vec<PlanChangeRow>, DbError> {
    let mut q = plan_changes::table
        .filter(plan_changes::project_id.eq(project))
        .select(PlanChangeRow::as_select())
        .order(plan_changes::asked_at.desc())
        .into_boxed();
    if open {
        q = q.filter(plan_changes::decision.is_null());
    }
    Ok(q.load(conn).await?)
}

/// How many requests wait for a decision on each of these projects.
pub async fn open_counts(
    conn: &mut AsyncPgConnection,
    projects: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, i64>, DbError> {
    let rows: Vec<(Uuid, i64)> = plan_changes::table
        .filter(plan_changes::project_id.eq_any(projects))
        .filter(plan_changes::decision.is_null())
        .group_by(plan_changes::project_id)
        .select((plan_changes::project_id, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// An approved postponement: the milestone's new day, and its open deadline's new timing. Answers the deadline to
/// schedule.
pub async fn postpone(
    conn: &mut AsyncPgConnection,
    milestone: Uuid,
    to: NaiveDate,
    timing: Timing,
) -> Result<Option<DeadlineRow>, DbError> {
    diesel::update(milestones::table.find(milestone))
        .set(milestones::planned_on.eq(to))
        .execute(conn)
        .await?;
    super::deadlines::retime_milestone(conn, milestone, timing).await
}

/// An approved amendment: the milestone's new title.
pub async fn amend(conn: &mut AsyncPgConnection, milestone: Uuid, title: &str) -> Result<(), DbError> {
    diesel::update(milestones::table.find(milestone))
        .set(milestones::title.eq(title))
        .execute(conn)
        .await?;
    Ok(())
}

/// An approved new milestone, placed after the project's others (the plan lists them by day, `milestones_of` by
/// position: positions are renumbered by day so both agree). Answers its id.
pub async fn add(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    title: &str,
    planned_on: NaiveDate,
) -> Result<Uuid, DbError> {
    use diesel::sql_types::{Date, Text, Uuid as SqlUuid};
    let id = Uuid::now_v7();
    diesel::sql_query(
        "INSERT INTO milestones (id, project_id, position, title, planned_on)
         SELECT $1, $2, coalesce(max(position), 0) + 1000, $3, $4 FROM milestones WHERE project_id = $2",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(project)
    .bind::<Text, _>(title)
    .bind::<Date, _>(planned_on)
    .execute(conn)
    .await?;
    // Positions are unique per project, checked row by row: renumber by day above all in use, then down to 1…n.
    diesel::sql_query(
        "UPDATE milestones m SET position = o.n FROM (
             SELECT id, row_number() OVER (ORDER BY planned_on, position) + (SELECT max(position) FROM milestones
                                                                              WHERE project_id = $1) AS n
               FROM milestones WHERE project_id = $1) o
          WHERE m.id = o.id",
    )
    .bind::<SqlUuid, _>(project)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "UPDATE milestones m SET position = o.n FROM (
             SELECT id, row_number() OVER (ORDER BY position) AS n FROM milestones WHERE project_id = $1) o
          WHERE m.id = o.id",
    )
    .bind::<SqlUuid, _>(project)
    .execute(conn)
    .await?;
    Ok(id)
}
