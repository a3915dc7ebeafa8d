//! 点单 as the use cases run it: staff open a round of proposals in their region for a year; citizens and deputies
//! propose and support while it is open; anyone reads the rounds and what they gathered (numbers people typed masked,
//! proposers never named); staff fold duplicates together or say why one is not taken, and the proposer is told.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::reach::{region_filter, region_to_manage};
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::ballot::Schedule;
use domain::organisation::region::RegionPath;
use domain::permission::{may_propose, may_run_round, may_support, AdminScope};
use domain::proposal::{
    decide as judge, may_take_up, takes_support, Decision, ProposalBody, ProposalReason, ProposalStatus, ProposalTitle,
    Refusal, RoundAsk, RoundPhase, RoundTitle, Standing,
};
use domain::Invalid;
use infra::db::notifications::NewNotification;
use infra::db::proposals::{ProposalRow, RoundRow};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// The most proposals a round's list answers: a county's round gathers hundreds.
pub const LISTED: i64 = 1000;

/// A round of proposals (征集).
#[derive(Debug, Serialize, ToSchema)]
pub struct Round {
    pub id: Uuid,
    /// The region whose livelihood projects it gathers proposals for.
    pub region_code: String,
    /// The year of the projects.
    pub year: i32,
    pub title: String,
    /// What it asks for.
    pub ask: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub phase: RoundPhase,
    /// Proposals made in it so far.
    pub proposals: i64,
}

impl Round {
    fn of(r: RoundRow, proposals: i64, now: DateTime<Utc>) -> Self {
        let schedule = Schedule {
            opens_at: r.opens_at,
            closes_at: r.closes_at,
        };
        Round {
            phase: RoundPhase::at(schedule, now),
            id: r.id,
            region_code: r.region_code,
            year: r.year,
            title: r.title,
            ask: r.ask,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            proposals,
        }
    }
}

/// A proposal as anyone reads it: what was proposed, by a citizen or a deputy (never who), how many support it, and
/// what became of it. Numbers typed into its words are masked, as in the public results.
#[derive(Debug, Serialize, ToSchema)]
pub struct Proposal {
    pub id: Uuid,
    pub round_id: Uuid,
    pub title: String,
    /// What it would do, and where.
    pub body: String,
    /// Why it matters.
    pub reason: String,
    /// `citizen` or `deputy`.
    pub proposed_by: String,
    /// People who support it (附议); a merged proposal's backers count toward the one it was folded into.
    pub supporters: i32,
    pub status: ProposalStatus,
    /// The proposal it was folded into, when merged.
    pub merged_into: Option<Uuid>,
    /// The candidate project a ballot took it up as.
    pub project_id: Option<Uuid>,
    /// Why it was not taken.
    pub decision_note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Proposal {
    fn of(p: ProposalRow) -> Self {
        let masked = |text: &str| domain::publication::mask(text, &[]);
        Proposal {
            title: masked(&p.title),
            body: masked(&p.body),
            reason: masked(&p.reason),
            status: p.status.parse().unwrap_or(ProposalStatus::Open),
            id: p.id,
            round_id: p.round_id,
            proposed_by: p.author_role,
            supporters: p.supporters,
            merged_into: p.merged_into,
            project_id: p.project_id,
            decision_note: p.decision_note,
            decided_at: p.decided_at,
            created_at: p.created_at,
        }
    }
}

/// A round to open, its parts parsed.
pub struct RoundAsked<'a> {
    pub region_code: &'a str,
    pub year: i32,
    pub title: RoundTitle,
    pub ask: RoundAsk,
    pub schedule: Schedule,
}

/// Staff open a round of proposals in a region of their subtree.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 on `region_code` outside their reach.
pub async fn open_round<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    asked: RoundAsked<'_>,
    answer: impl FnOnce(Round) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, asked.region_code, "region_code").await?;
    let now = state.clock.now();
    let row = RoundRow {
        id: Uuid::now_v7(),
        region_code: region.code,
        year: asked.year,
        title: asked.title.into_inner(),
        ask: asked.ask.into_inner(),
        opens_at: asked.schedule.opens_at,
        closes_at: asked.schedule.closes_at,
        created_by: caller.actor.user_id,
        created_at: now,
    };
    let row = &row;
    commit(
        &mut conn,
        |conn| async move { Ok(infra::db::proposals::insert_round(conn, row).await?) }.scope_boxed(),
        |()| answer(Round::of(row.clone(), 0, now)),
    )
    .await
}

/// The rounds of `region`'s subtree (everywhere with none), the latest opening first: anyone reads them.
///
/// # Errors
/// 404 naming `region` when unknown.
pub async fn rounds(state: &AppState, region: Option<&str>, limit: i64) -> AppResult<Vec<Round>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = region_filter(&mut conn, region).await?;
    let now = state.clock.now();
    let rows = infra::db::proposals::rounds(&mut conn, prefix.as_deref(), limit).await?;
    Ok(rows.into_iter().map(|(r, n)| Round::of(r, n, now)).collect())
}

/// Round `id` and its proposals, most supported first (`status` only, when named): anyone reads them.
///
/// # Errors
/// 404 for an unknown round.
pub async fn round(state: &AppState, id: Uuid, status: Option<ProposalStatus>) -> AppResult<(Round, Vec<Proposal>)> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (row, _) = infra::db::proposals::round(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("proposal round"))?;
    let all = infra::db::proposals::of_round(&mut conn, id, None, LISTED).await?;
    let gathered = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let listed = all
        .into_iter()
        .filter(|p| status.is_none_or(|s| p.status == s.as_str()))
        .map(Proposal::of)
        .collect();
    Ok((Round::of(row, gathered, state.clock.now()), listed))
}

/// A proposal as made, its parts parsed.
pub struct ProposalAsked {
    pub title: ProposalTitle,
    pub body: ProposalBody,
    pub reason: ProposalReason,
}

/// A citizen or deputy proposes in an open round.
///
/// # Errors
/// 403 for other roles; 404 for an unknown round; 409 `wrong_state` for a round not open.
pub async fn propose<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    round: Uuid,
    asked: ProposalAsked,
    answer: impl FnOnce(Proposal) -> AppResult<K> + Send,
) -> AppResult<K> {
    may_propose(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let now = state.clock.now();
    let (round, _) = infra::db::proposals::round(&mut conn, round)
        .await?
        .ok_or_else(|| AppError::not_found("proposal round"))?;
    if phase(&round, now) != RoundPhase::Open {
        return Err(not_open(&round, now));
    }
    let row = ProposalRow {
        id: Uuid::now_v7(),
        round_id: round.id,
        author_id: caller.actor.user_id,
        author_role: caller.actor.role.as_str().to_owned(),
        title: asked.title.into_inner(),
        body: asked.body.into_inner(),
        reason: asked.reason.into_inner(),
        status: ProposalStatus::Open.as_str().to_owned(),
        merged_into: None,
        project_id: None,
        decision_note: None,
        decided_at: None,
        supporters: 0,
        created_at: now,
    };
    let row = &row;
    commit(
        &mut conn,
        |conn| async move { Ok(infra::db::proposals::insert(conn, row).await?) }.scope_boxed(),
        |()| answer(Proposal::of(row.clone())),
    )
    .await
}

/// A citizen or deputy supports (附议) someone else's proposal while its round is open; supporting again changes
/// nothing. Answers the proposal with its count.
///
/// # Errors
/// 403 for other roles and for one's own proposal; 404 for an unknown proposal; 409 `wrong_state` when its round is
/// not open or it was merged or not taken.
pub async fn support<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    answer: impl FnOnce(Proposal) -> AppResult<K> + Send,
) -> AppResult<K> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let now = state.clock.now();
    commit(
        &mut conn,
        |conn| {
            async move {
                let (proposal, round, _) = locked(conn, id).await?;
                may_support(&caller.actor, proposal.author_id)?;
                let status = proposal.status.parse().unwrap_or(ProposalStatus::Open);
                if !takes_support(phase(&round, now), status) {
                    return Err(
                        if status == ProposalStatus::Open || status == ProposalStatus::Candidate {
                            not_open(&round, now)
                        } else {
                            decided(status)
                        },
                    );
                }
                infra::db::proposals::support(conn, id, caller.actor.user_id, now).await?;
                infra::db::proposals::find(conn, id)
                    .await?
                    .ok_or_else(|| AppError::not_found("proposal"))
            }
            .scope_boxed()
        },
        |row| answer(Proposal::of(row)),
    )
    .await
}

/// Staff decide what becomes of an open proposal of a round in their subtree: folded into another of the round (its
/// proposer and supporters then back that one), or not taken with a reason. The proposer is told either way.
///
/// # Errors
/// 403/404 for staff elsewhere and other roles; 404 for an unknown proposal; 409 `wrong_state` for one decided
/// already; 422 on `merge_into` for itself, another round's proposal, or one merged or not taken.
pub async fn decide<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    decision: Decision,
    answer: impl FnOnce(Proposal) -> AppResult<K> + Send,
) -> AppResult<K> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let now = state.clock.now();
    let decision = &decision;
    commit(
        &mut conn,
        |conn| {
            async move {
                let (proposal, round, path) = locked(conn, id).await?;
                may_run_round(&caller.actor, &RegionPath::from_stored(path))?;
                let target = match decision {
                    Decision::Merge { into } if *into != id => infra::db::proposals::lock(conn, *into).await?,
                    Decision::Merge { .. } => Some(proposal.clone()),
                    Decision::NotTaken(_) => None,
                };
                let status = judge(standing(&proposal), decision, target.as_ref().map(standing)).map_err(refused)?;
                let (merged_into, note) = match decision {
                    Decision::Merge { into } => (Some(*into), None),
                    Decision::NotTaken(reason) => (None, Some(reason.as_str())),
                };
                let decided = infra::db::proposals::decide(conn, id, status.as_str(), merged_into, note, now).await?;
                if let Some(into) = &target {
                    infra::db::proposals::fold_support(conn, &decided, into, now).await?;
                }
                tell_proposer(conn, &decided, &round, now).await?;
                Ok(decided)
            }
            .scope_boxed()
        },
        |row| answer(Proposal::of(row)),
    )
    .await
}

/// Where a candidate project came from (群众点单): how many proposals it was taken up from, and how many people
/// proposed or supported them, each once.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct Backing {
    pub proposals: i64,
    pub people: i64,
}

/// What backs each of `projects`: none for a project the government proposed alone.
///
/// # Errors
/// PostgreSQL failing.
pub async fn backing(conn: &mut infra::db::PgConn, projects: &[Uuid]) -> AppResult<HashMap<Uuid, Backing>> {
    Ok(infra::db::proposals::backing(conn, projects)
        .await?
        .into_iter()
        .map(|(id, (proposals, people))| (id, Backing { proposals, people }))
        .collect())
}

/// Takes proposals `ids` up as candidate project `project` of a ballot in `ballot_region`, in the caller's
/// transaction, and tells their proposers; `field` names the list in errors (`candidates[0].proposal_ids`).
///
/// # Errors
/// `validation_failed` on `{field}[j]` for a proposal unknown, not open, or of a round outside the ballot's region.
pub async fn take_up(
    conn: &mut infra::db::PgConn,
    ballot_region: &RegionPath,
    project: Uuid,
    ids: &[Uuid],
    field: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let locked = infra::db::proposals::lock_many(conn, ids).await?;
    for (j, id) in ids.iter().enumerate() {
        let at = || format!("{field}[{j}]");
        let Some((proposal, round, path)) = locked.iter().find(|(p, _, _)| p.id == *id) else {
            return Err(Invalid::new(at(), "unknown", "names no proposal").into());
        };
        let status = proposal.status.parse().unwrap_or(ProposalStatus::Open);
        may_take_up(status, &RegionPath::from_stored(path.clone()), ballot_region)
            .map_err(|why| Invalid::new(at(), "invalid", why))?;
        let taken = infra::db::proposals::take_up(conn, proposal.id, project, now).await?;
        tell_proposer(conn, &taken, round, now).await?;
    }
    Ok(())
}

/// Tells a proposal's proposer what became of it.
async fn tell_proposer(
    conn: &mut infra::db::PgConn,
    p: &ProposalRow,
    round: &RoundRow,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let body = match p.status.parse().unwrap_or(ProposalStatus::Open) {
        ProposalStatus::Merged => format!(
            "您在「{}」中的建议「{}」与其他群众的相同建议合并办理，附议一并计入。",
            round.title, p.title
        ),
        ProposalStatus::NotTaken => format!(
            "您在「{}」中的建议「{}」未被采纳：{}",
            round.title,
            p.title,
            p.decision_note.as_deref().unwrap_or_default()
        ),
        ProposalStatus::Candidate => format!("您在「{}」中的建议「{}」已列为民生实事候选项目。", round.title, p.title),
        ProposalStatus::Open => return Ok(()),
    };
    let key = format!("proposal:{}:{}", p.id, p.status);
    let note = NewNotification {
        issue_id: None,
        kind: "proposal",
        event_key: &key,
        title: "民生实事建议有了结果",
        body: &body,
    };
    infra::db::notifications::tell(conn, &[p.author_id], &note, now).await?;
    Ok(())
}

/// Proposal `id`, locked until the transaction ends, with its round and the round's region path.
async fn locked(conn: &mut infra::db::PgConn, id: Uuid) -> AppResult<(ProposalRow, RoundRow, String)> {
    let proposal = infra::db::proposals::lock(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("proposal"))?;
    let (round, path) = infra::db::proposals::round(conn, proposal.round_id)
        .await?
        .ok_or_else(|| AppError::not_found("proposal round"))?;
    Ok((proposal, round, path))
}

fn phase(round: &RoundRow, now: DateTime<Utc>) -> RoundPhase {
    RoundPhase::at(
        Schedule {
            opens_at: round.opens_at,
            closes_at: round.closes_at,
        },
        now,
    )
}

fn standing(p: &ProposalRow) -> Standing {
    Standing {
        id: p.id,
        round: p.round_id,
        status: p.status.parse().unwrap_or(ProposalStatus::Open),
    }
}

fn not_open(round: &RoundRow, now: DateTime<Utc>) -> AppError {
    let why = match phase(round, now) {
        RoundPhase::Scheduled => "the round is not open yet",
        _ => "the round has closed",
    };
    AppError::new(ErrorCode::WrongState, why)
}

fn decided(status: ProposalStatus) -> AppError {
    AppError::new(
        ErrorCode::WrongState,
        format!("the proposal was decided already: {status}"),
    )
}

fn refused(r: Refusal) -> AppError {
    match r {
        Refusal::Decided(status) => decided(status),
        Refusal::Invalid(invalid) => invalid.into(),
    }
}
