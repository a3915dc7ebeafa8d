//! Elected livelihood projects under supervision: their milestones as deadlines (the worker's side).

use super::ballots::MilestoneRow;
use super::schema::{ballots, milestones, projects};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::warning::Timing;
use uuid::Uuid;

/// The open milestones of these projects.
pub async fn open_milestones(conn: &mut AsyncPgConnection, project_ids: &[Uuid]) -> Result<Vec<MilestoneRow>, DbError> {
    Ok(milestones::table
        .filter(milestones::project_id.eq_any(project_ids))
        .filter(milestones::done_at.is_null())
        .select(MilestoneRow::as_select())
        .load(conn)
        .await?)
}

/// Starts or moves a milestone's deadline.
pub async fn time_milestone(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    started_at: DateTime<Utc>,
    timing: Timing,
) -> Result<(), DbError> {
    diesel::update(milestones::table.find(id))
        .set((
            milestones::started_at.eq(started_at),
            milestones::due_at.eq(timing.due_at),
            milestones::warn_at.eq(timing.warn_at),
            milestones::next_step.eq(timing.next.map(|(s, _)| s.as_str())),
            milestones::next_at.eq(timing.next.map(|(_, at)| at)),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// An open milestone, locked until the transaction ends, with its project's title, agency and ballot region.
pub async fn lock_open_milestone(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<(MilestoneRow, String, Uuid, String)>, DbError> {
    Ok(milestones::table
        .inner_join(projects::table.inner_join(ballots::table))
        .filter(milestones::id.eq(id))
        .filter(milestones::done_at.is_null())
        .select((
            MilestoneRow::as_select(),
            projects::title,
            projects::agency_id,
            ballots::region_code,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// One page of the milestones' next steps, for rebuilding the Redis schedule, in id order after `after`.
pub async fn scheduled(
    conn: &mut AsyncPgConnection,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(Uuid, String, DateTime<Utc>)>, DbError> {
    let mut q = milestones::table
        .filter(milestones::done_at.is_null())
        .filter(milestones::next_at.is_not_null())
        .select((
            milestones::id,
            milestones::next_step.assume_not_null(),
            milestones::next_at.assume_not_null(),
        ))
        .order(milestones::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(milestones::id.gt(after));
    }
    Ok(q.load(conn).await?)
}
