//! Ballots of livelihood projects as PostgreSQL holds them (migration 000008): the ballot and its key, the roster of
//! who checked in, the papers (held as they arrive, migration 000020, then settled among the ballot's papers in
//! batches), and the candidate projects with their planned milestones.
//!
//! No function here takes both a deputy and a paper: checking in knows the deputy and never the token; casting knows
//! the token and never the deputy.

mod papers;
pub use papers::{
    cast, counted, holding, papers, papers_cast, reseal, rewrite_papers_in_receipt_order, settle, vacuum_held, Cast,
};

use super::schema::{agencies, ballot_roster, ballots, deadlines, milestones, projects, users};
use super::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ballots)]
pub struct BallotRow {
    pub id: Uuid,
    pub region_code: String,
    pub title: String,
    pub session: String,
    pub seats: i32,
    pub threshold_num: i32,
    pub threshold_den: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub public_key: String,
    pub roster_size: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub cast_papers: Option<i32>,
    pub open_seats: Option<i32>,
    /// `election` (candidates elected) or `evaluation` (满意度测评 of accepted projects).
    pub kind: String,
    /// An evaluation: the days a project rated below its share has to rectify.
    pub rectify_days: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    pub id: Uuid,
    pub ballot_id: Uuid,
    pub position: i32,
    pub title: String,
    pub summary: String,
    pub agency_id: Uuid,
    pub budget_yuan: i64,
    pub votes: Option<i32>,
    pub outcome: Option<String>,
    pub elected_rank: Option<i32>,
    /// Where the work is (WGS-84); none: the ballot's region as a whole.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
    /// 验单: where its delivery stands once elected (`domain::project::delivery::Delivery`).
    pub delivery: Option<String>,
    /// The agency's summary declaring it complete, or staff's note accepting or returning it.
    pub delivery_note: Option<String>,
    pub delivery_at: Option<DateTime<Utc>>,
}

/// A planned milestone, with its deadline's moments once its project is elected. Read from milestones left-joined
/// with their deadlines ([`milestones_of`]).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = milestones)]
pub struct MilestoneRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub position: i32,
    pub title: String,
    pub planned_on: NaiveDate,
    pub done_at: Option<DateTime<Utc>>,
    #[diesel(select_expression = deadlines::due_at.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<deadlines::due_at>)]
    pub due_at: Option<DateTime<Utc>>,
    #[diesel(select_expression = deadlines::warn_at.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<deadlines::warn_at>)]
    pub warn_at: Option<DateTime<Utc>>,
}

/// A new ballot, checked by the caller.
pub struct NewBallot<'a> {
    pub id: Uuid,
    pub region_code: &'a str,
    pub title: &'a str,
    pub session: &'a str,
    pub seats: i32,
    pub threshold: (i32, i32),
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub public_key: &'a str,
    pub signing_key: &'a [u8],
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    /// `election`, or `evaluation` with its days to rectify.
    pub evaluation: Option<i32>,
}

/// A candidate project with its planned milestones.
pub struct NewProject<'a> {
    pub id: Uuid,
    pub title: &'a str,
    pub summary: &'a str,
    pub agency_id: Uuid,
    pub budget_yuan: i64,
    pub milestones: Vec<(&'a str, NaiveDate)>,
}

/// A ballot's candidates (in the order given) with their planned milestones; none for an evaluation.
async fn insert_candidates(
    conn: &mut AsyncPgConnection,
    ballot: Uuid,
    candidates: &[NewProject<'_>],
) -> Result<(), DbError> {
    if candidates.is_empty() {
        return Ok(());
    }
    let projects: Vec<_> = candidates
        .iter()
        .zip(0..)
        .map(|(p, position): (&NewProject, i32)| {
            (
                projects::id.eq(p.id),
                projects::ballot_id.eq(ballot),
                projects::position.eq(position),
                projects::title.eq(p.title),
                projects::summary.eq(p.summary),
                projects::agency_id.eq(p.agency_id),
                projects::budget_yuan.eq(p.budget_yuan),
            )
        })
        .collect();
    diesel::insert_into(projects::table)
        .values(&projects)
        .execute(conn)
        .await?;
    let milestones: Vec<_> = candidates
        .iter()
        .flat_map(|p| {
            p.milestones
                .iter()
                .zip(0..)
                .map(|((title, planned_on), position): (&(&str, NaiveDate), i32)| {
                    (
                        milestones::id.eq(Uuid::now_v7()),
                        milestones::project_id.eq(p.id),
                        milestones::position.eq(position),
                        milestones::title.eq(*title),
                        milestones::planned_on.eq(*planned_on),
                    )
                })
        })
        .collect();
    if !milestones.is_empty() {
        diesel::insert_into(milestones::table)
            .values(&milestones)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Writes a ballot, its candidates (in the order given) and its roster, in the caller's transaction.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    new: &NewBallot<'_>,
    candidates: &[NewProject<'_>],
    roster: &[Uuid],
) -> Result<(), DbError> {
    diesel::insert_into(ballots::table)
        .values((
            ballots::id.eq(new.id),
            ballots::region_code.eq(new.region_code),
            ballots::title.eq(new.title),
            ballots::session.eq(new.session),
            ballots::seats.eq(new.seats),
            ballots::threshold_num.eq(new.threshold.0),
            ballots::threshold_den.eq(new.threshold.1),
            ballots::opens_at.eq(new.opens_at),
            ballots::closes_at.eq(new.closes_at),
            ballots::public_key.eq(new.public_key),
            ballots::signing_key.eq(new.signing_key),
            ballots::roster_size.eq(i32::try_from(roster.len()).unwrap_or(i32::MAX)),
            ballots::created_by.eq(new.created_by),
            ballots::created_at.eq(new.created_at),
            ballots::kind.eq(if new.evaluation.is_some() {
                "evaluation"
            } else {
                "election"
            }),
            ballots::rectify_days.eq(new.evaluation),
        ))
        .execute(conn)
        .await?;
    insert_candidates(conn, new.id, candidates).await?;
    let roster: Vec<_> = roster
        .iter()
        .map(|d| (ballot_roster::ballot_id.eq(new.id), ballot_roster::deputy_id.eq(*d)))
        .collect();
    diesel::insert_into(ballot_roster::table)
        .values(&roster)
        .execute(conn)
        .await?;
    Ok(())
}

/// Of `ids`, those that are enabled deputies whose region lies under `path_prefix`.
pub async fn deputies_among(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    path_prefix: &str,
) -> Result<Vec<Uuid>, DbError> {
    use super::schema::regions;
    Ok(users::table
        .inner_join(regions::table.on(regions::code.nullable().eq(users::region_code)))
        .filter(users::id.eq_any(ids))
        .filter(users::role.eq("deputy"))
        .filter(users::enabled.eq(true))
        .filter(regions::path.like(format!("{}%", super::regions::escape_like(path_prefix))))
        .select(users::id)
        .load(conn)
        .await?)
}

/// Of `ids`, the enabled agencies whose region lies under `path_prefix`.
pub async fn agencies_among(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    path_prefix: &str,
) -> Result<Vec<Uuid>, DbError> {
    use super::schema::regions;
    Ok(agencies::table
        .inner_join(regions::table)
        .filter(agencies::id.eq_any(ids))
        .filter(agencies::enabled.eq(true))
        .filter(regions::path.like(format!("{}%", super::regions::escape_like(path_prefix))))
        .select(agencies::id)
        .load(conn)
        .await?)
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<BallotRow>, DbError> {
    Ok(ballots::table
        .find(id)
        .select(BallotRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The ballot, locked until the transaction ends: closing takes it so that it tallies once.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<BallotRow>, DbError> {
    Ok(ballots::table
        .find(id)
        .select(BallotRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// Ballots under `path_prefix` (all with none), or those with `deputy` on the roster, newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    path_prefix: Option<&str>,
    deputy: Option<Uuid>,
    limit: i64,
) -> Result<Vec<BallotRow>, DbError> {
    use super::schema::regions;
    let mut q = ballots::table
        .inner_join(regions::table)
        .select(BallotRow::as_select())
        .order((ballots::opens_at.desc(), ballots::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(p) = path_prefix {
        q = q.filter(regions::path.like(format!("{}%", super::regions::escape_like(p))));
    }
    if let Some(d) = deputy {
        q = q.filter(
            ballots::id.eq_any(
                ballot_roster::table
                    .filter(ballot_roster::deputy_id.eq(d))
                    .select(ballot_roster::ballot_id),
            ),
        );
    }
    Ok(q.load(conn).await?)
}

/// The ballot's private key (only the check-in reads it).
pub async fn signing_key(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Vec<u8>>, DbError> {
    Ok(ballots::table
        .find(id)
        .select(ballots::signing_key)
        .first(conn)
        .await
        .optional()?)
}

/// The candidates of ballots, in ballot then position order.
pub async fn projects_of(conn: &mut AsyncPgConnection, ballot_ids: &[Uuid]) -> Result<Vec<ProjectRow>, DbError> {
    Ok(projects::table
        .filter(projects::ballot_id.eq_any(ballot_ids))
        .select(ProjectRow::as_select())
        .order((projects::ballot_id, projects::position))
        .load(conn)
        .await?)
}

/// The milestones of projects, in project then position order.
pub async fn milestones_of(conn: &mut AsyncPgConnection, project_ids: &[Uuid]) -> Result<Vec<MilestoneRow>, DbError> {
    Ok(milestones::table
        .left_join(deadlines::table)
        .filter(milestones::project_id.eq_any(project_ids))
        .select(MilestoneRow::as_select())
        .order((milestones::project_id, milestones::position))
        .load(conn)
        .await?)
}

/// A deputy's place on a roster: `None` when not on it; `Some(None)` when not checked in yet; `Some(Some(hash))`
/// with the hash of the blinded token signed for them.
pub async fn roster_entry(
    conn: &mut AsyncPgConnection,
    ballot: Uuid,
    deputy: Uuid,
) -> Result<Option<Option<Vec<u8>>>, DbError> {
    Ok(ballot_roster::table
        .find((ballot, deputy))
        .select(ballot_roster::blinded_hash)
        .first(conn)
        .await
        .optional()?)
}

/// Records that a deputy checked in with this blinded token, unless they already had: true when this call did.
pub async fn check_in(
    conn: &mut AsyncPgConnection,
    ballot: Uuid,
    deputy: Uuid,
    blinded_hash: &[u8],
) -> Result<bool, DbError> {
    let n = diesel::update(
        ballot_roster::table
            .find((ballot, deputy))
            .filter(ballot_roster::blinded_hash.is_null()),
    )
    .set(ballot_roster::blinded_hash.eq(blinded_hash))
    .execute(conn)
    .await?;
    Ok(n == 1)
}

/// How many on the roster have checked in.
pub async fn checked_in(conn: &mut AsyncPgConnection, ballot: Uuid) -> Result<i64, DbError> {
    Ok(ballot_roster::table
        .filter(ballot_roster::ballot_id.eq(ballot))
        .filter(ballot_roster::blinded_hash.is_not_null())
        .count()
        .get_result(conn)
        .await?)
}

/// What the tally came to, written once.
pub struct Results<'a> {
    pub closed_at: DateTime<Utc>,
    pub cast: i32,
    pub open_seats: i32,
    /// (project, votes, outcome, rank among the elected)
    pub projects: &'a [(Uuid, i32, &'a str, Option<i32>)],
}

/// Records the tally on the (locked) ballot and its projects.
pub async fn record_results(conn: &mut AsyncPgConnection, ballot: Uuid, r: &Results<'_>) -> Result<(), DbError> {
    diesel::update(ballots::table.find(ballot))
        .set((
            ballots::closed_at.eq(r.closed_at),
            ballots::cast_papers.eq(r.cast),
            ballots::open_seats.eq(r.open_seats),
        ))
        .execute(conn)
        .await?;
    for (id, votes, outcome, rank) in r.projects {
        diesel::update(projects::table.find(id))
            .set((
                projects::votes.eq(votes),
                projects::outcome.eq(outcome),
                projects::elected_rank.eq(rank),
                // An elected project is delivered from now (验单 follows: `projects.delivery`).
                projects::delivery.eq((*outcome == "elected").then_some("delivering")),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// The projects an evaluation rates, in paper order, and what its papers said of each once tallied.
#[derive(Debug, Clone, Queryable)]
pub struct EvaluatedRow {
    pub project_id: Uuid,
    pub position: i32,
    pub satisfied: Option<i32>,
    pub basically: Option<i32>,
    pub dissatisfied: Option<i32>,
    pub passed: Option<bool>,
    pub title: String,
    pub agency_id: Uuid,
}

/// Lists an evaluation's projects, in the order given, in the caller's transaction.
pub async fn insert_evaluated(conn: &mut AsyncPgConnection, ballot: Uuid, projects: &[Uuid]) -> Result<(), DbError> {
    use super::schema::evaluated_projects as e;
    let rows: Vec<_> = projects
        .iter()
        .zip(0..)
        .map(|(p, position): (&Uuid, i32)| (e::ballot_id.eq(ballot), e::project_id.eq(*p), e::position.eq(position)))
        .collect();
    diesel::insert_into(e::table).values(rows).execute(conn).await?;
    Ok(())
}

/// An evaluation's projects in paper order.
pub async fn evaluated_of(conn: &mut AsyncPgConnection, ballot: Uuid) -> Result<Vec<EvaluatedRow>, DbError> {
    use super::schema::evaluated_projects as e;
    Ok(e::table
        .inner_join(projects::table)
        .filter(e::ballot_id.eq(ballot))
        .order(e::position)
        .select((
            e::project_id,
            e::position,
            e::satisfied,
            e::basically,
            e::dissatisfied,
            e::passed,
            projects::title,
            projects::agency_id,
        ))
        .load(conn)
        .await?)
}

/// Records what an evaluation's papers said of each project: (project, 满意, 基本满意, 不满意, passed).
pub async fn record_evaluation(
    conn: &mut AsyncPgConnection,
    ballot: Uuid,
    rated: &[(Uuid, i32, i32, i32, bool)],
) -> Result<(), DbError> {
    use super::schema::evaluated_projects as e;
    for (project, satisfied, basically, dissatisfied, passed) in rated {
        diesel::update(e::table.find((ballot, project)))
            .set((
                e::satisfied.eq(satisfied),
                e::basically.eq(basically),
                e::dissatisfied.eq(dissatisfied),
                e::passed.eq(passed),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Each project's evaluations, newest first: (project, ballot, closed_at, 满意, 基本满意, 不满意, passed), tallied only.
pub async fn evaluations_of(
    conn: &mut AsyncPgConnection,
    projects: &[Uuid],
) -> Result<Vec<(Uuid, Uuid, DateTime<Utc>, i32, i32, i32, bool)>, DbError> {
    use super::schema::evaluated_projects as e;
    Ok(e::table
        .inner_join(ballots::table)
        .filter(e::project_id.eq_any(projects))
        .filter(e::passed.is_not_null())
        .order((ballots::closed_at.desc(), ballots::id.desc()))
        .select((
            e::project_id,
            e::ballot_id,
            ballots::closed_at.assume_not_null(),
            e::satisfied.assume_not_null(),
            e::basically.assume_not_null(),
            e::dissatisfied.assume_not_null(),
            e::passed.assume_not_null(),
        ))
        .load(conn)
        .await?)
}
