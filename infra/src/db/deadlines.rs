//! Deadlines as PostgreSQL holds them (the truth issue 5's Redis schedule is rebuilt from): every issue stage that had
//! one and every elected project's milestone (migration 000017: one table, one schedule, one worker), with when it
//! started, when it is due, and how it ended.

use super::schema::deadlines;
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::deadline::{Ending, Stage};
use domain::issue::warning::{level, Step, Timing, Warning};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = deadlines)]
pub struct DeadlineRow {
    pub id: Uuid,
    /// The issue whose stage it is; none for a milestone's.
    pub issue_id: Option<Uuid>,
    pub stage: String,
    pub round: i16,
    pub agency_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub warn_at: DateTime<Utc>,
    pub next_step: Option<String>,
    pub next_at: Option<DateTime<Utc>>,
    /// The livelihood project's milestone it is; none for an issue's stage.
    pub milestone_id: Option<Uuid>,
}

/// An open deadline as a list of issues needs it: its stage (none for a word this build does not know) and when it
/// turns yellow and is due. Lists read these as an array of records, not as whole rows in JSON: decoding JSON and
/// its timestamps was a third of the service's time on an inbox (perf, 2026-11-30).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moments {
    pub stage: Option<Stage>,
    pub warn_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

/// A list's `(stage, warn_at, due_at)` record of an open deadline, as PostgreSQL sends it.
pub type MomentRecord = (String, DateTime<Utc>, DateTime<Utc>);

impl Moments {
    /// From a list's record.
    #[must_use]
    pub fn of((stage, warn_at, due_at): MomentRecord) -> Self {
        Moments {
            stage: stage.parse().ok(),
            warn_at,
            due_at,
        }
    }
}

/// What a deadline is of. The table's check keeps exactly one (migration 000017).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Issue(Uuid),
    Milestone(Uuid),
}

/// The stage word of a milestone's deadline.
pub const MILESTONE: &str = "milestone";

impl DeadlineRow {
    /// Its colour at `now` (green, yellow, red), the same everywhere it is shown.
    #[must_use]
    pub fn warning(&self, now: DateTime<Utc>) -> Warning {
        level(self.warn_at, self.due_at, now)
    }

    /// Its timing as stored.
    #[must_use]
    pub fn timing(&self) -> Timing {
        Timing {
            due_at: self.due_at,
            warn_at: self.warn_at,
            next: self.next_step().zip(self.next_at),
        }
    }

    #[must_use]
    pub fn stage(&self) -> Option<Stage> {
        self.stage.parse().ok()
    }

    /// What a list shows of it.
    #[must_use]
    pub fn moments(&self) -> Moments {
        Moments {
            stage: self.stage(),
            warn_at: self.warn_at,
            due_at: self.due_at,
        }
    }

    #[must_use]
    pub fn next_step(&self) -> Option<Step> {
        self.next_step.as_deref().and_then(|s| s.parse().ok())
    }
}

/// The columns a deadline's timing is written to: when it is due, when it turns yellow, and its next step.
type Timed = (
    diesel::dsl::Eq<deadlines::due_at, DateTime<Utc>>,
    diesel::dsl::Eq<deadlines::warn_at, DateTime<Utc>>,
    diesel::dsl::Eq<deadlines::next_step, Option<&'static str>>,
    diesel::dsl::Eq<deadlines::next_at, Option<DateTime<Utc>>>,
);

fn timed(timing: Timing) -> Timed {
    (
        deadlines::due_at.eq(timing.due_at),
        deadlines::warn_at.eq(timing.warn_at),
        deadlines::next_step.eq(timing.next.map(|(s, _)| s.as_str())),
        deadlines::next_at.eq(timing.next.map(|(_, at)| at)),
    )
}

/// Starts a stage's deadline.
pub async fn open(
    conn: &mut AsyncPgConnection,
    issue_id: Uuid,
    stage: Stage,
    round: i16,
    agency: Option<Uuid>,
    started_at: DateTime<Utc>,
    timing: Timing,
) -> Result<DeadlineRow, DbError> {
    Ok(diesel::insert_into(deadlines::table)
        .values((
            deadlines::id.eq(Uuid::now_v7()),
            deadlines::issue_id.eq(Some(issue_id)),
            deadlines::stage.eq(stage.as_str()),
            deadlines::round.eq(round),
            deadlines::agency_id.eq(agency),
            deadlines::started_at.eq(started_at),
            timed(timing),
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
    .set((
        deadlines::ended_at.eq(at),
        deadlines::outcome.eq(outcome.as_str()),
        deadlines::next_step.eq(None::<String>),
        deadlines::next_at.eq(None::<DateTime<Utc>>),
    ))
    .execute(conn)
    .await?)
}

/// Sets an open deadline's timing: an approved extension moves it, key supervision brings its warning forward, the
/// worker records the step it took.
pub async fn retime(conn: &mut AsyncPgConnection, id: Uuid, timing: Timing) -> Result<(), DbError> {
    diesel::update(deadlines::table.find(id))
        .set((timed(timing),))
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets the timing of a milestone's open deadline (an approved postponement); answers it, to schedule.
pub async fn retime_milestone(
    conn: &mut AsyncPgConnection,
    milestone: Uuid,
    timing: Timing,
) -> Result<Option<DeadlineRow>, DbError> {
    Ok(diesel::update(
        deadlines::table
            .filter(deadlines::milestone_id.eq(milestone))
            .filter(deadlines::ended_at.is_null()),
    )
    .set((timed(timing),))
    .returning(DeadlineRow::as_returning())
    .get_result(conn)
    .await
    .optional()?)
}

/// One page of what the worker will do, for rebuilding the Redis schedule: (deadline, step, when), in id order
/// after `after`.
pub async fn scheduled(
    conn: &mut AsyncPgConnection,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(Uuid, String, DateTime<Utc>)>, DbError> {
    let mut q = deadlines::table
        .filter(deadlines::ended_at.is_null())
        .filter(deadlines::next_at.is_not_null())
        .select((
            deadlines::id,
            deadlines::next_step.assume_not_null(),
            deadlines::next_at.assume_not_null(),
        ))
        .order(deadlines::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(deadlines::id.gt(after));
    }
    Ok(q.load(conn).await?)
}

/// What to list of open deadlines (`GET /deadlines`).
#[derive(Debug, Clone, Default)]
pub struct DeadlineFilter {
    pub agency: Option<Uuid>,
    /// Issues, and projects of ballots, whose region path starts with this (a region and everything under it).
    pub path_prefix: Option<String>,
    /// Issues of this category (milestones have none).
    pub category: Option<String>,
    /// The table's stage word: an issue's stage, or `milestone`.
    pub stage: Option<&'static str>,
    pub warning: Option<Warning>,
    pub after: Option<(DateTime<Utc>, Uuid)>,
}

/// An open deadline as the board lists it: of an issue (its id, number, title, status) or of a project's milestone
/// (the project's id and title, the milestone's title).
#[derive(Debug, Clone, Queryable)]
pub struct Watched {
    pub deadline: DeadlineRow,
    pub issue: Option<(Uuid, String, Option<String>, String)>,
    pub milestone: Option<(Uuid, String, String)>,
}

/// Open deadlines of issues and of projects' milestones, soonest due first.
pub async fn list_open(
    conn: &mut AsyncPgConnection,
    filter: &DeadlineFilter,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Watched>, DbError> {
    use super::schema::{ballots, issues, milestones, projects, regions};
    let mut q = deadlines::table
        .left_join(issues::table)
        .left_join(milestones::table.inner_join(projects::table.inner_join(ballots::table.inner_join(regions::table))))
        .filter(deadlines::ended_at.is_null())
        .select((
            DeadlineRow::as_select(),
            (issues::id, issues::number, issues::title, issues::status).nullable(),
            (projects::id, projects::title, milestones::title).nullable(),
        ))
        .order((deadlines::due_at.asc(), deadlines::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(a) = filter.agency {
        q = q.filter(deadlines::agency_id.eq(a));
    }
    if let Some(p) = &filter.path_prefix {
        let under = format!("{}%", super::regions::escape_like(p));
        q = q.filter(
            issues::region_path
                .like(under.clone())
                .or(regions::path.nullable().like(under)),
        );
    }
    if let Some(c) = &filter.category {
        q = q.filter(issues::category_code.eq(c));
    }
    if let Some(s) = filter.stage {
        q = q.filter(deadlines::stage.eq(s));
    }
    match filter.warning {
        Some(Warning::Red) => q = q.filter(deadlines::due_at.le(now)),
        Some(Warning::Yellow) => q = q.filter(deadlines::warn_at.le(now)).filter(deadlines::due_at.gt(now)),
        Some(Warning::Green) => q = q.filter(deadlines::warn_at.gt(now)),
        None => {}
    }
    if let Some((due, id)) = filter.after {
        q = q.filter(
            deadlines::due_at
                .gt(due)
                .or(deadlines::due_at.eq(due).and(deadlines::id.gt(id))),
        );
    }
    Ok(q.load(conn).await?)
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

/// What a deadline is of: the issue or the milestone its steps are about.
pub async fn subject_of(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Subject>, DbError> {
    let found: Option<(Option<Uuid>, Option<Uuid>)> = deadlines::table
        .find(id)
        .select((deadlines::issue_id, deadlines::milestone_id))
        .first(conn)
        .await
        .optional()?;
    Ok(found.and_then(|ids| match ids {
        (Some(issue), _) => Some(Subject::Issue(issue)),
        (None, Some(milestone)) => Some(Subject::Milestone(milestone)),
        (None, None) => None,
    }))
}

/// Starts the deadlines of milestones, at once: each is the agency's to meet (an elected project's).
pub async fn open_milestones(
    conn: &mut AsyncPgConnection,
    opened: &[(Uuid, Uuid, Timing)],
    started_at: DateTime<Utc>,
) -> Result<Vec<DeadlineRow>, DbError> {
    if opened.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<_> = opened
        .iter()
        .map(|(milestone, agency, timing)| {
            (
                deadlines::id.eq(Uuid::now_v7()),
                deadlines::milestone_id.eq(Some(*milestone)),
                deadlines::stage.eq(MILESTONE),
                deadlines::round.eq(1_i16),
                deadlines::agency_id.eq(Some(*agency)),
                deadlines::started_at.eq(started_at),
                timed(*timing),
            )
        })
        .collect();
    Ok(diesel::insert_into(deadlines::table)
        .values(rows)
        .returning(DeadlineRow::as_returning())
        .get_results(conn)
        .await?)
}

/// Moves many open deadlines on to their next steps at once (the worker's batches). A step moves nothing else, so
/// only the next step is written: the colours' trigger (migration 000015) fires for due and warning moments only.
pub async fn set_next_steps(conn: &mut AsyncPgConnection, timings: &[(Uuid, Timing)]) -> Result<usize, DbError> {
    use diesel::sql_types::{Array, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    if timings.is_empty() {
        return Ok(0);
    }
    Ok(diesel::sql_query(
        "UPDATE deadlines d SET next_step = u.next_step, next_at = u.next_at
           FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS u (id, next_step, next_at)
          WHERE d.id = u.id",
    )
    .bind::<Array<SqlUuid>, _>(timings.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(
        timings
            .iter()
            .map(|(_, t)| t.next.map(|(s, _)| s.as_str()))
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Nullable<Timestamptz>>, _>(
        timings
            .iter()
            .map(|(_, t)| t.next.map(|(_, at)| at))
            .collect::<Vec<_>>(),
    )
    .cached()
    .execute(conn)
    .await?)
}
