//! 民生实事项目代表票决制 as the use cases see it: a ballot and its candidate projects as shown, who the caller is to
//! it, its phase and contest, its results; and the commands on it (`commands`).

pub mod commands;
pub mod evaluation;
pub mod read;

use crate::app::error::{AppError, AppResult};
use crate::app::proposals::Backing;
use chrono::{DateTime, Utc};
use domain::ballot::{Contest, Phase, Schedule};
use domain::fraction::Fraction;
use domain::permission::{Actor, AdminScope};
use domain::role::Role;
use domain::Denied;
use domain::Invalid;
use infra::db::ballots::{BallotRow, MilestoneRow, ProjectRow};
use std::collections::{HashMap, HashSet};

pub use crate::app::projects::Milestone;
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A ballot as staff and the deputies on its roster see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ballot {
    pub id: Uuid,
    pub region_code: String,
    #[schema(example = "2026年民生实事项目代表票决")]
    pub title: String,
    #[schema(example = "兰州市第十七届人民代表大会第四次会议")]
    pub session: String,
    /// How many projects are elected (fewer than the candidates: 差额).
    pub seats: i32,
    /// A project is elected only with more than this share of the papers cast.
    #[schema(example = "1/2")]
    pub threshold: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub phase: Phase,
    /// The ballot's RSA public key (PEM, SubjectPublicKeyInfo): clients blind their voting token with it
    /// (RFC 9474, RSABSSA-SHA384-PSS-Deterministic).
    pub public_key: String,
    pub roster_size: i32,
    /// How many on the roster have checked in (staff only).
    pub checked_in: Option<i64>,
    /// Papers cast so far (staff only).
    pub papers_cast: Option<i64>,
    /// Whether the caller, a deputy on the roster, has checked in.
    pub you_checked_in: Option<bool>,
    /// An election's candidate projects (none for an evaluation).
    pub candidates: Vec<Project>,
    /// `election`, or `evaluation` (满意度测评: its papers rate `evaluated`; `threshold` is the share of 满意 +
    /// 基本满意 a project needs, below which it goes to 整改).
    #[schema(example = "election")]
    pub kind: String,
    /// An evaluation's projects, with their ratings once tallied (none for an election).
    pub evaluated: Vec<evaluation::EvaluatedProject>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A livelihood project: a candidate of a ballot, and once elected, supervised.
#[derive(Debug, Serialize, ToSchema)]
pub struct Project {
    pub id: Uuid,
    pub ballot_id: Uuid,
    /// Its place on the paper (0 first).
    pub position: i32,
    pub title: String,
    pub summary: String,
    /// The responsible agency.
    pub agency_id: Uuid,
    pub budget_yuan: i64,
    /// After the tally: its votes, `elected`, `not_elected` or `runoff`, and its place among the elected.
    pub votes: Option<i32>,
    pub outcome: Option<String>,
    pub elected_rank: Option<i32>,
    pub milestones: Vec<Milestone>,
    /// 群众点单: the proposals it was taken up from and the people behind them; absent for a project the
    /// government proposed alone.
    pub backing: Option<Backing>,
}

/// Projects with their milestones and what backs them, in the order given.
#[must_use]
pub fn projects_with<S: std::hash::BuildHasher>(
    projects: Vec<ProjectRow>,
    mut milestones: Vec<MilestoneRow>,
    backing: &HashMap<Uuid, Backing, S>,
    now: DateTime<Utc>,
) -> Vec<Project> {
    projects
        .into_iter()
        .map(|p| {
            let (mine, rest): (Vec<_>, Vec<_>) = milestones.drain(..).partition(|m| m.project_id == p.id);
            milestones = rest;
            Project {
                id: p.id,
                ballot_id: p.ballot_id,
                position: p.position,
                title: p.title,
                summary: p.summary,
                agency_id: p.agency_id,
                budget_yuan: p.budget_yuan,
                votes: p.votes,
                outcome: p.outcome,
                elected_rank: p.elected_rank,
                milestones: mine.into_iter().map(|m| Milestone::of(m, now)).collect(),
                backing: backing.get(&p.id).copied(),
            }
        })
        .collect()
}

/// The ballot's schedule as stored.
#[must_use]
pub fn schedule_of(b: &BallotRow) -> Schedule {
    Schedule {
        opens_at: b.opens_at,
        closes_at: b.closes_at,
    }
}

#[must_use]
pub fn phase_of(b: &BallotRow, now: DateTime<Utc>) -> Phase {
    Phase::at(schedule_of(b), b.closed_at, now)
}

/// A fresh key pair for a ballot's blind signatures (an election's or an evaluation's), made off the async threads.
///
/// # Errors
/// 500 when the key cannot be made.
pub async fn fresh_key() -> AppResult<(String, Vec<u8>)> {
    tokio::task::spawn_blocking(infra::ballot_key::generate)
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// A share as the ballots table keeps it: an election's threshold, an evaluation's pass share.
#[must_use]
pub fn stored_share(f: Fraction) -> (i32, i32) {
    (i32::try_from(f.num()).unwrap_or(0), i32::try_from(f.den()).unwrap_or(1))
}

/// The share a stored ballot keeps, named `field` in what it refuses.
///
/// # Errors
/// `validation_failed` for a stored share that is no fraction (the table's checks keep it one).
pub fn share_of(b: &BallotRow, field: &str) -> AppResult<Fraction> {
    Ok(Fraction::new(
        field,
        u32::try_from(b.threshold_num).unwrap_or(0),
        u32::try_from(b.threshold_den).unwrap_or(1),
    )?)
}

/// The contest the stored ballot holds: its candidates in paper order, its seats and threshold.
pub fn contest_of(b: &BallotRow, projects: &[ProjectRow]) -> AppResult<Contest> {
    let threshold = share_of(b, "threshold")?;
    Contest::parse(
        projects.iter().map(|p| p.id).collect(),
        u32::try_from(b.seats).unwrap_or(0),
        threshold,
    )
    .map_err(|e| AppError::internal(anyhow::anyhow!("a stored ballot breaks its rules: {e}")))
}

/// How the caller stands to a ballot: as its staff (their subtree holds it), as a deputy on its roster, or not at all
/// (then it is hidden).
pub enum Standing {
    Staff,
    Voter { checked_in: bool },
}

/// # Errors
/// `Denied::Hidden` when the caller is neither staff over the ballot's region nor a deputy on its roster.
pub async fn standing(conn: &mut PgConn, actor: &Actor, ballot: &BallotRow) -> AppResult<Standing> {
    if actor.role == Role::Deputy {
        return match infra::db::ballots::roster_entry(conn, ballot.id, actor.user_id).await? {
            Some(blinded) => Ok(Standing::Voter {
                checked_in: blinded.is_some(),
            }),
            None => Err(Denied::Hidden.into()),
        };
    }
    let scope = AdminScope::of(actor).map_err(|_| Denied::Hidden)?;
    let region = infra::db::regions::find(conn, &ballot.region_code)
        .await?
        .ok_or(Denied::Hidden)?;
    scope.may_see(&region.path())?;
    Ok(Standing::Staff)
}

/// The ballot, or 404.
pub async fn found(conn: &mut PgConn, id: Uuid) -> AppResult<BallotRow> {
    infra::db::ballots::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("ballot"))
}

/// The whole view of a ballot for someone who may see it.
pub async fn view(conn: &mut PgConn, b: BallotRow, standing: &Standing, now: DateTime<Utc>) -> AppResult<Ballot> {
    let projects = infra::db::ballots::projects_of(conn, &[b.id]).await?;
    let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let milestones = infra::db::ballots::milestones_of(conn, &ids).await?;
    let backing = crate::app::proposals::backing(conn, &ids).await?;
    let (checked_in, papers_cast, you_checked_in) = match standing {
        Standing::Staff => (
            Some(infra::db::ballots::checked_in(conn, b.id).await?),
            Some(infra::db::ballots::papers_cast(conn, b.id).await?),
            None,
        ),
        Standing::Voter { checked_in } => (None, None, Some(*checked_in)),
    };
    let evaluated = infra::db::ballots::evaluated_of(conn, b.id).await?;
    Ok(Ballot {
        kind: b.kind.clone(),
        evaluated: evaluated.into_iter().map(evaluation::EvaluatedProject::from).collect(),
        phase: phase_of(&b, now),
        threshold: format!("{}/{}", b.threshold_num, b.threshold_den),
        candidates: projects_with(projects, milestones, &backing, now),
        id: b.id,
        region_code: b.region_code,
        title: b.title,
        session: b.session,
        seats: b.seats,
        opens_at: b.opens_at,
        closes_at: b.closes_at,
        public_key: b.public_key,
        roster_size: b.roster_size,
        checked_in,
        papers_cast,
        you_checked_in,
        created_at: b.created_at,
        closed_at: b.closed_at,
    })
}

/// The published results of a tallied ballot.
#[derive(Debug, Serialize, ToSchema)]
pub struct Results {
    pub ballot_id: Uuid,
    pub region_code: String,
    pub title: String,
    pub session: String,
    pub seats: i32,
    #[schema(example = "1/2")]
    pub threshold: String,
    pub closed_at: DateTime<Utc>,
    /// Deputies entitled to vote.
    pub roster_size: i32,
    /// Papers cast.
    pub cast: i32,
    /// Papers cast per roster, in percent to one decimal.
    #[schema(example = 98.7)]
    pub turnout_percent: f64,
    /// The elected projects, most votes first.
    pub elected: Vec<ProjectResult>,
    /// Candidates tied for the last seats, more of them than seats left: a runoff (另行投票) among them decides.
    pub runoff: Vec<ProjectResult>,
    /// Seats left unfilled (for the runoff, or because too few passed the threshold).
    pub open_seats: i32,
    /// Every candidate, in the order of the paper.
    pub counts: Vec<ProjectResult>,
    /// `election` or `evaluation`.
    pub kind: String,
    /// An evaluation's projects with their ratings: 满意, 基本满意, 不满意 and whether each passed.
    pub evaluated: Vec<evaluation::EvaluatedProject>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectResult {
    pub project_id: Uuid,
    pub title: String,
    pub agency_id: Uuid,
    pub votes: i32,
    /// More than the threshold's share of the papers cast.
    pub passed: bool,
    /// `elected`, `not_elected` or `runoff`.
    pub outcome: String,
}

/// The results of a tallied ballot, as published.
pub async fn results_of(conn: &mut infra::db::PgConn, id: Uuid) -> AppResult<Results> {
    let b = found(conn, id).await?;
    let (Some(closed_at), Some(cast), Some(open_seats)) = (b.closed_at, b.cast_papers, b.open_seats) else {
        return Err(AppError::not_found("results (the ballot is not tallied yet)"));
    };
    let evaluated: Vec<evaluation::EvaluatedProject> = infra::db::ballots::evaluated_of(conn, b.id)
        .await?
        .into_iter()
        .map(evaluation::EvaluatedProject::from)
        .collect();
    let projects = infra::db::ballots::projects_of(conn, &[b.id]).await?;
    // An evaluation has no candidates, so no contest.
    let contest = if evaluated.is_empty() {
        Some(contest_of(&b, &projects)?)
    } else {
        None
    };
    let counts: Vec<ProjectResult> = projects
        .iter()
        .map(|p| {
            let votes = p.votes.unwrap_or(0);
            ProjectResult {
                project_id: p.id,
                title: p.title.clone(),
                agency_id: p.agency_id,
                votes,
                passed: contest
                    .as_ref()
                    .is_some_and(|c| c.passes(u32::try_from(votes).unwrap_or(0), u32::try_from(cast).unwrap_or(0))),
                outcome: p.outcome.clone().unwrap_or_default(),
            }
        })
        .collect();
    let mut elected: Vec<(i32, ProjectResult)> = projects
        .iter()
        .zip(&counts)
        .filter_map(|(p, r)| p.elected_rank.map(|rank| (rank, r.clone())))
        .collect();
    elected.sort_by_key(|(rank, _)| *rank);
    let runoff = counts.iter().filter(|r| r.outcome == "runoff").cloned().collect();
    let turnout = if b.roster_size > 0 {
        (f64::from(cast) * 1000.0 / f64::from(b.roster_size)).round() / 10.0
    } else {
        0.0
    };
    Ok(Results {
        ballot_id: b.id,
        region_code: b.region_code,
        title: b.title,
        session: b.session,
        seats: b.seats,
        threshold: format!("{}/{}", b.threshold_num, b.threshold_den),
        closed_at,
        roster_size: b.roster_size,
        cast,
        turnout_percent: turnout,
        elected: elected.into_iter().map(|(_, r)| r).collect(),
        runoff,
        open_seats,
        counts,
        kind: b.kind,
        evaluated,
    })
}

/// Checks that the roster names enabled deputies of the ballot's region (`path`), and each candidate's agency (in
/// candidate order; none for an evaluation) an enabled agency there.
///
/// # Errors
/// `validation_failed` on `roster[i]` or `candidates[i].agency_id`.
pub async fn entitled(conn: &mut PgConn, path: &str, roster: &[Uuid], named: &[Uuid]) -> AppResult<()> {
    let deputies: HashSet<Uuid> = infra::db::ballots::deputies_among(conn, roster, path)
        .await?
        .into_iter()
        .collect();
    if let Some(i) = roster.iter().position(|d| !deputies.contains(d)) {
        let why = "is not an enabled deputy of the ballot's region";
        return Err(Invalid::new(format!("roster[{i}]"), "not_a_deputy", why).into());
    }
    let agencies: HashSet<Uuid> = infra::db::ballots::agencies_among(conn, named, path)
        .await?
        .into_iter()
        .collect();
    if let Some(i) = named.iter().position(|a| !agencies.contains(a)) {
        let why = "is not an enabled agency of the ballot's region";
        return Err(Invalid::new(format!("candidates[{i}].agency_id"), "unknown_agency", why).into());
    }
    Ok(())
}
