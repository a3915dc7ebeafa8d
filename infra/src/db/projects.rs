//! Elected livelihood projects under supervision: their milestones as deadlines (the worker's side), the lists and
//! pages that show them, and the milestones their agencies complete.

use super::ballots::{MilestoneRow, ProjectRow};
use super::schema::{agencies, ballots, milestones, project_reports, projects, regions};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::warning::Timing;
use std::collections::HashMap;
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

/// An elected project with what its pages show beside it: its ballot's region, session and closing, its agency's name.
#[derive(Debug, Clone, Queryable)]
pub struct Supervised {
    pub project: ProjectRow,
    pub region_code: String,
    pub region_path: String,
    pub session: String,
    pub elected_at: Option<DateTime<Utc>>,
    pub agency_name: String,
}

/// Which elected projects a list holds.
#[derive(Debug, Default)]
pub struct ProjectFilter<'a> {
    /// Projects of ballots in this subtree.
    pub path_prefix: Option<&'a str>,
    /// …or, for a deputy, of ballots in these regions (those above them).
    pub or_regions: &'a [&'a str],
    pub agency: Option<Uuid>,
    pub ballot: Option<Uuid>,
    pub project: Option<Uuid>,
}

/// The elected project `id`.
pub async fn find_elected(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Supervised>, DbError> {
    let filter = ProjectFilter {
        project: Some(id),
        ..ProjectFilter::default()
    };
    Ok(elected(conn, &filter, 1).await?.pop())
}

/// Elected projects, newest ballot first (the caller ranks them), at most `limit`.
pub async fn elected(
    conn: &mut AsyncPgConnection,
    filter: &ProjectFilter<'_>,
    limit: i64,
) -> Result<Vec<Supervised>, DbError> {
    let mut q = projects::table
        .inner_join(ballots::table.inner_join(regions::table))
        .inner_join(agencies::table)
        .filter(projects::outcome.eq("elected"))
        .select((
            ProjectRow::as_select(),
            ballots::region_code,
            regions::path,
            ballots::session,
            ballots::closed_at,
            agencies::name,
        ))
        .order((ballots::closed_at.desc(), projects::elected_rank.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(p) = filter.path_prefix {
        let under = regions::path.like(format!("{}%", super::regions::escape_like(p)));
        q = if filter.or_regions.is_empty() {
            q.filter(under)
        } else {
            q.filter(under.or(ballots::region_code.eq_any(filter.or_regions.to_vec())))
        };
    }
    if let Some(a) = filter.agency {
        q = q.filter(projects::agency_id.eq(a));
    }
    if let Some(b) = filter.ballot {
        q = q.filter(projects::ballot_id.eq(b));
    }
    if let Some(p) = filter.project {
        q = q.filter(projects::id.eq(p));
    }
    Ok(q.load(conn).await?)
}

/// The percent each project's agency reported last.
pub async fn latest_percents(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<HashMap<Uuid, u8>, DbError> {
    let rows: Vec<(Uuid, Option<i16>)> = project_reports::table
        .filter(project_reports::project_id.eq_any(ids))
        .filter(project_reports::percent.is_not_null())
        .distinct_on(project_reports::project_id)
        .order((project_reports::project_id, project_reports::id.desc()))
        .select((project_reports::project_id, project_reports::percent))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, p)| Some((id, u8::try_from(p?).ok()?)))
        .collect())
}

/// Completes an open milestone of `project`: it is done, and its deadline takes no more steps. False when it is not
/// an open milestone of that project.
pub async fn complete_milestone(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    milestone: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let done = diesel::update(
        milestones::table
            .filter(milestones::id.eq(milestone))
            .filter(milestones::project_id.eq(project))
            .filter(milestones::done_at.is_null()),
    )
    .set((
        milestones::done_at.eq(at),
        milestones::next_step.eq(None::<String>),
        milestones::next_at.eq(None::<DateTime<Utc>>),
    ))
    .execute(conn)
    .await?;
    Ok(done == 1)
}
