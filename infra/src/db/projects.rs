//! Elected livelihood projects under supervision: their milestones' deadlines as the worker takes them, the lists and
//! pages that show them, and the milestones their agencies complete.

use super::ballots::{MilestoneRow, ProjectRow};
use super::deadlines::DeadlineRow;
use super::schema::{agencies, ballots, deadlines, milestones, project_reports, projects, regions};
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use uuid::Uuid;

/// The open milestones of these projects, with the agency that must meet them.
pub async fn open_milestones(
    conn: &mut AsyncPgConnection,
    project_ids: &[Uuid],
) -> Result<Vec<(MilestoneRow, Uuid)>, DbError> {
    Ok(milestones::table
        .inner_join(projects::table)
        .left_join(deadlines::table)
        .filter(milestones::project_id.eq_any(project_ids))
        .filter(milestones::done_at.is_null())
        .select((MilestoneRow::as_select(), projects::agency_id))
        .load(conn)
        .await?)
}

/// A milestone's deadline as the worker takes its step: the deadline, locked until the transaction ends, while it is
/// open, with the milestone's title and plan, its project's title and its ballot's region.
pub struct MilestoneStep {
    pub deadline: DeadlineRow,
    pub milestone_id: Uuid,
    pub milestone: String,
    pub planned_on: chrono::NaiveDate,
    pub project_id: Uuid,
    pub project: String,
    pub region_code: String,
}

/// Locks an open milestone deadline (see [`MilestoneStep`]).
pub async fn lock_milestone_step(
    conn: &mut AsyncPgConnection,
    deadline: Uuid,
) -> Result<Option<MilestoneStep>, DbError> {
    let found = deadlines::table
        .inner_join(milestones::table.inner_join(projects::table.inner_join(ballots::table)))
        .filter(deadlines::id.eq(deadline))
        .filter(deadlines::ended_at.is_null())
        .select((
            DeadlineRow::as_select(),
            milestones::id,
            milestones::title,
            milestones::planned_on,
            projects::id,
            projects::title,
            ballots::region_code,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    Ok(found.map(
        |(deadline, milestone_id, milestone, planned_on, project_id, project, region_code)| MilestoneStep {
            deadline,
            milestone_id,
            milestone,
            planned_on,
            project_id,
            project,
            region_code,
        },
    ))
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

/// Completes an open milestone of `project`: it is done, and its deadline ends met, in one statement. False when it is
/// not an open milestone of that project.
pub async fn complete_milestone(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    milestone: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, DbError> {
    use diesel::sql_types::{BigInt, Timestamptz, Uuid as SqlUuid};
    #[derive(QueryableByName)]
    struct Done {
        #[diesel(sql_type = BigInt)]
        done: i64,
    }
    let done: Done = diesel::sql_query(
        "WITH done AS (UPDATE milestones SET done_at = $3
                        WHERE id = $1 AND project_id = $2 AND done_at IS NULL RETURNING id),
              ended AS (UPDATE deadlines d SET ended_at = $3, outcome = 'met', next_step = NULL, next_at = NULL
                          FROM done WHERE d.milestone_id = done.id AND d.ended_at IS NULL RETURNING d.id)
         SELECT count(*) AS done FROM done",
    )
    .bind::<SqlUuid, _>(milestone)
    .bind::<SqlUuid, _>(project)
    .bind::<Timestamptz, _>(at)
    .cached()
    .get_result(conn)
    .await?;
    Ok(done.done == 1)
}

/// Sets where an elected project's work is: a point (WGS-84) and an address, or none (its ballot's region).
pub async fn set_place(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    point: Option<(f64, f64)>,
    address: Option<&str>,
) -> Result<(), DbError> {
    diesel::update(projects::table.find(project))
        .set((
            projects::latitude.eq(point.map(|p| p.0)),
            projects::longitude.eq(point.map(|p| p.1)),
            projects::address.eq(address),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Locks an elected project's row until the transaction ends and answers where its delivery stands, with how many of
/// its milestones are still open.
pub async fn lock_delivery(conn: &mut AsyncPgConnection, project: Uuid) -> Result<Option<(String, i64)>, DbError> {
    let delivery: Option<Option<String>> = projects::table
        .find(project)
        .select(projects::delivery)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some(Some(delivery)) = delivery else {
        return Ok(None);
    };
    let open: i64 = milestones::table
        .filter(milestones::project_id.eq(project))
        .filter(milestones::done_at.is_null())
        .count()
        .get_result(conn)
        .await?;
    Ok(Some((delivery, open)))
}

/// Moves a project's delivery on, with what was said.
pub async fn set_delivery(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    delivery: &str,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(projects::table.find(project))
        .set((
            projects::delivery.eq(delivery),
            projects::delivery_note.eq(note),
            projects::delivery_at.eq(at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
