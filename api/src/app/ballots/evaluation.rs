//! 满意度测评 as the use cases see it: staff open an evaluation of accepted projects for a roster of deputies (a
//! ballot of kind `evaluation`: the same key, check-in, papers and secrecy as an election); each deputy's paper rates
//! the projects (`domain::ballot::evaluation`); the close counts the ratings, publishes them with the turnout, and
//! sends each project below the evaluation's share to 整改 with a deadline (a milestone of its own, supervised and
//! reminded like any other) — the rest are satisfied.

use super::{found, view, Ballot, Standing};
use crate::app::error::{AppError, AppResult};
use crate::app::issues::command::entry_of;
use crate::app::projects::timeline::record;
use crate::app::reach::region_to_manage;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, Days, Utc};
use domain::ballot::evaluation::{Assessment, Mark};
use domain::ballot::{BallotTitle, Paper, Schedule, SessionName};
use domain::fraction::Fraction;
use domain::permission::AdminScope;
use domain::project::delivery::Delivery;
use domain::project::{today, EventKind};
use domain::Invalid;
use infra::db::ballots::{BallotRow, EvaluatedRow, NewBallot};
use infra::db::notifications::{Audience, NewNotification};
use infra::db::PgConn;
use infra::schedule::Entry;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

/// The word an evaluation's ballot row is stored with.
pub const EVALUATION: &str = "evaluation";

/// A project an evaluation rates, and once tallied what the papers said of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluatedProject {
    pub project_id: Uuid,
    pub title: String,
    pub agency_id: Uuid,
    /// 满意, 基本满意, 不满意: after the tally.
    pub satisfied: Option<i32>,
    pub basically: Option<i32>,
    pub dissatisfied: Option<i32>,
    /// 满意 + 基本满意 reached the evaluation's share; false sends it to 整改.
    pub passed: Option<bool>,
}

impl From<EvaluatedRow> for EvaluatedProject {
    fn from(r: EvaluatedRow) -> Self {
        EvaluatedProject {
            project_id: r.project_id,
            title: r.title,
            agency_id: r.agency_id,
            satisfied: r.satisfied,
            basically: r.basically,
            dissatisfied: r.dissatisfied,
            passed: r.passed,
        }
    }
}

/// The assessment a stored evaluation holds.
pub fn assessment_of(b: &BallotRow, projects: &[EvaluatedRow]) -> AppResult<Assessment> {
    let pass = super::share_of(b, "pass_share")?;
    Assessment::parse(projects.iter().map(|p| p.project_id).collect(), pass)
        .map_err(|e| AppError::internal(anyhow::anyhow!("a stored evaluation breaks its rules: {e}")))
}

/// A deputy's ratings checked against the evaluation `ballot` as a paper.
pub async fn paper(conn: &mut PgConn, ballot: &BallotRow, marks: Vec<(Uuid, Mark)>) -> AppResult<Paper> {
    let projects = infra::db::ballots::evaluated_of(conn, ballot.id).await?;
    Ok(assessment_of(ballot, &projects)?.paper(marks)?)
}

/// An evaluation to open, its parts parsed.
pub struct NewEvaluationAsked<'a> {
    pub region_code: &'a str,
    pub title: BallotTitle,
    pub session: SessionName,
    pub pass: Fraction,
    pub rectify_days: u32,
    pub schedule: Schedule,
    pub projects: Assessment,
    pub roster: Vec<Uuid>,
}

/// Staff open an evaluation in their subtree: every project elected in it and accepted (验收), every deputy on the
/// roster an enabled deputy there; a fresh key pair signs the deputies' blinded tokens. Done: the evaluation.
///
/// # Errors
/// 404 on `region_code` out of reach; `validation_failed` at `project_ids[i]` (not found, outside the region, not
/// accepted) or `roster[i]`.
pub async fn open<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    asked: NewEvaluationAsked<'_>,
    answer: impl FnOnce(Ballot) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, asked.region_code, "region_code").await?;
    super::entitled(&mut conn, &region.path, &asked.roster, &[]).await?;
    let region_path = region.path();
    for (i, id) in asked.projects.projects().iter().enumerate() {
        let field = format!("project_ids[{i}]");
        let project = infra::db::projects::find_elected(&mut conn, *id)
            .await?
            .filter(|p| region_path.covers(&crate::app::projects::region_of(p)))
            .ok_or_else(|| Invalid::new(&field, "unknown", "no elected project of the region"))?;
        let delivery: Option<Delivery> = project.project.delivery.as_deref().and_then(|d| d.parse().ok());
        if !delivery.is_some_and(Delivery::may_be_evaluated) {
            return Err(Invalid::new(field, "not_accepted", "only projects accepted (验收) are evaluated").into());
        }
    }
    let (public_key, signing_key) = super::fresh_key().await?;
    let id = Uuid::now_v7();
    let projects = asked.projects.projects();
    let new = NewBallot {
        id,
        region_code: &region.code,
        title: asked.title.as_str(),
        session: asked.session.as_str(),
        seats: i32::try_from(projects.len()).unwrap_or(i32::MAX),
        threshold: super::stored_share(asked.pass),
        opens_at: asked.schedule.opens_at,
        closes_at: asked.schedule.closes_at,
        public_key: &public_key,
        signing_key: &signing_key,
        created_by: caller.actor.user_id,
        created_at: now,
        evaluation: Some(i32::try_from(asked.rectify_days).unwrap_or(i32::MAX)),
    };
    let (new, roster) = (&new, &asked.roster);
    commit(
        &mut conn,
        |conn| {
            async move {
                infra::db::ballots::insert(conn, new, &[], roster).await?;
                infra::db::ballots::insert_evaluated(conn, id, projects).await?;
                let row = found(conn, id).await?;
                view(conn, row, &Standing::Staff, now).await
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// Closes an evaluation inside the close's transaction: counts the papers ([`count`]), records the results and reseals
/// the papers as an election's are. Answers the deadlines to schedule once committed.
pub async fn close(
    conn: &mut PgConn,
    b: &BallotRow,
    papers: Vec<Vec<Uuid>>,
    config: &infra::config::Config,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Entry, DateTime<Utc>)>> {
    let (cast, scheduled) = count(conn, b, papers, config, now).await?;
    let recorded = infra::db::ballots::Results {
        closed_at: now,
        cast: i32::try_from(cast).unwrap_or(i32::MAX),
        open_seats: 0,
        projects: &[],
    };
    infra::db::ballots::record_results(conn, b.id, &recorded).await?;
    infra::db::ballots::reseal(conn, b.id).await?;
    Ok(scheduled)
}

/// 整改: a milestone of that name due `days` from today, with its deadline. Answers its day and what to schedule.
async fn rectification(
    conn: &mut PgConn,
    project: &infra::db::projects::Supervised,
    days: u64,
    config: &infra::config::Config,
    now: DateTime<Utc>,
) -> AppResult<(chrono::NaiveDate, Vec<(Entry, DateTime<Utc>)>)> {
    let by = today(now).checked_add_days(Days::new(days)).unwrap_or(today(now));
    let id = infra::db::plan_changes::add(conn, project.project.id, "整改", by).await?;
    let due =
        domain::project::due_at(by).ok_or_else(|| AppError::internal(anyhow::anyhow!("no end to the day {by}")))?;
    let calendar = infra::db::calendar::calendar(conn).await?;
    let timing = domain::project::timing(&calendar, &config.supervision, now, due);
    let opened = infra::db::deadlines::open_milestones(conn, &[(id, project.project.agency_id, timing)], now).await?;
    Ok((by, opened.iter().filter_map(entry_of).collect()))
}

/// Reads every paper back into ratings, counts them, records the counts, and moves each project on — satisfied, or to
/// 整改 with a milestone due in the evaluation's days to rectify. Answers the papers counted and the deadlines to
/// schedule.
async fn count(
    conn: &mut PgConn,
    b: &BallotRow,
    papers: Vec<Vec<Uuid>>,
    config: &infra::config::Config,
    now: DateTime<Utc>,
) -> AppResult<(u32, Vec<(Entry, DateTime<Utc>)>)> {
    let projects = infra::db::ballots::evaluated_of(conn, b.id).await?;
    let assessment = assessment_of(b, &projects)?;
    let read: Vec<Vec<(Uuid, Mark)>> = papers
        .iter()
        .map(|choices| assessment.read(choices))
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::internal(anyhow::anyhow!("a stored paper breaks the evaluation's rules: {e}")))?;
    let cast = u32::try_from(read.len()).unwrap_or(u32::MAX);
    let rated = assessment.tally(&read);
    let as_i32 = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let recorded: Vec<_> = rated
        .iter()
        .map(|r| {
            (
                r.project,
                as_i32(r.satisfied),
                as_i32(r.basically),
                as_i32(r.dissatisfied),
                r.passed,
            )
        })
        .collect();
    infra::db::ballots::record_evaluation(conn, b.id, &recorded).await?;
    let days = b
        .rectify_days
        .and_then(|d| u64::try_from(d).ok())
        .unwrap_or(u64::from(domain::ballot::evaluation::RECTIFY_DAYS));
    let mut scheduled = Vec::new();
    for r in &rated {
        scheduled.extend(conclude(conn, b.id, r, (cast, days), config, now).await?);
    }
    Ok((cast, scheduled))
}

/// Moves one rated project on, in the close's transaction: satisfied, or to 整改; its timeline records the ratings and
/// its agency is told. Answers the rectification's deadline to schedule.
async fn conclude(
    conn: &mut PgConn,
    ballot: Uuid,
    r: &domain::ballot::evaluation::Rated,
    (cast, days): (u32, u64),
    config: &infra::config::Config,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Entry, DateTime<Utc>)>> {
    let mut scheduled = Vec::new();
    let Some(project) = infra::db::projects::find_elected(conn, r.project).await? else {
        return Ok(Vec::new());
    };
    let next = Delivery::evaluated(r.passed);
    let counts = format!(
        "满意 {}、基本满意 {}、不满意 {}",
        r.satisfied, r.basically, r.dissatisfied
    );
    let (note, body) = if r.passed {
        (
            format!("代表满意度测评：{counts}，测评通过"),
            format!("{}：满意度测评通过（{counts}）", project.project.title),
        )
    } else {
        let (by, opened) = rectification(conn, &project, days, config, now).await?;
        scheduled.extend(opened);
        (
            format!("代表满意度测评：{counts}，未达到满意率，{by} 前整改并再次测评"),
            format!(
                "{}：满意度测评未通过（{counts}），请于 {by} 前整改",
                project.project.title
            ),
        )
    };
    infra::db::projects::set_delivery(conn, r.project, next.as_str(), Some(&note), now).await?;
    let data = json!({ "ballot_id": ballot, "satisfied": r.satisfied, "basically": r.basically,
                       "dissatisfied": r.dissatisfied, "passed": r.passed, "cast": cast });
    record(conn, r.project, EventKind::Evaluated, None, Some(&note), data, now).await?;
    let key = format!("evaluation:{}:{}", ballot, r.project);
    let notice = NewNotification {
        issue_id: None,
        project_id: Some(r.project),
        kind: "project_evaluated",
        event_key: &key,
        title: if r.passed {
            "民生实事项目满意度测评通过"
        } else {
            "民生实事项目须整改"
        },
        body: &body,
    };
    let to = Audience {
        handlers_of: &[project.project.agency_id],
        ..Audience::default()
    };
    infra::db::notifications::notify(conn, &to, &notice, now).await?;
    Ok(scheduled)
}

/// Whether a stored ballot is an evaluation.
#[must_use]
pub fn is_evaluation(b: &BallotRow) -> bool {
    b.kind == EVALUATION
}
