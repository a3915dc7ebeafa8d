//! 点单 as the use cases run it: staff open a round of proposals in their region for a year; citizens and deputies
//! propose (WeChat's content check first: a risky text is refused, a doubtful one held for staff to publish) and
//! support while it is open; anyone reads the rounds and what they gathered (numbers people typed masked,
//! proposers never named); staff fold duplicates together or say why one is not taken, and the proposer is told.

mod candidates;
mod sorting;

pub use candidates::{backing, take_up, Backing};
pub use sorting::{decide, held, publish};

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::reach::{region_filter, region_to_manage};
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::content::{self, Checked};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::ballot::Schedule;
use domain::permission::{may_propose, may_support, AdminScope};
use domain::proposal::{
    takes_support, ProposalBody, ProposalReason, ProposalStatus, ProposalTitle, RoundAsk, RoundPhase, RoundTitle,
};
use infra::db::proposals::{ProposalRow, RoundRow};
use infra::wechat::TextScene;
use serde::Serialize;
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
    /// WeChat's content check asked a person to look: staff see it (`/proposal-rounds/{id}/held`) and publish or
    /// decide it; the public does not.
    pub held_for_review: bool,
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
            held_for_review: p.needs_review,
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
    let rows = infra::db::proposals::rounds(&mut conn, prefix.as_deref(), None, limit).await?;
    Ok(rows.into_iter().map(|(r, n)| Round::of(r, n, now)).collect())
}

/// Round `id` and its proposals, most supported first (`status` only, when named): anyone reads them.
///
/// # Errors
/// 404 for an unknown round.
pub async fn round(state: &AppState, id: Uuid, status: Option<ProposalStatus>) -> AppResult<(Round, Vec<Proposal>)> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (row, gathered) = infra::db::proposals::rounds(&mut conn, None, Some(id), 1)
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("proposal round"))?;
    let status = status.map(ProposalStatus::as_str);
    let listed = infra::db::proposals::of_round(&mut conn, id, false, status, LISTED).await?;
    Ok((
        Round::of(row, gathered, state.clock.now()),
        listed.into_iter().map(Proposal::of).collect(),
    ))
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
    // One check of the whole proposal, as a report's title and description are checked together.
    let text = format!(
        "{}\n{}\n{}",
        asked.title.as_str(),
        asked.body.as_str(),
        asked.reason.as_str()
    );
    let held = content::check(state, &caller.actor, &text, TextScene::Forum, "body").await? == Checked::NeedsReview;
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
        needs_review: held,
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
                if proposal.needs_review {
                    // Hidden from the public until staff publish it: nobody else knows it is there.
                    return Err(AppError::not_found("proposal"));
                }
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
                let counted = infra::db::proposals::support(conn, id, caller.actor.user_id, now).await?;
                Ok(counted.unwrap_or(proposal))
            }
            .scope_boxed()
        },
        |row| answer(Proposal::of(row)),
    )
    .await
}

/// Proposal `id`, locked until the transaction ends, with its round and the round's region path.
pub(super) async fn locked(conn: &mut infra::db::PgConn, id: Uuid) -> AppResult<(ProposalRow, RoundRow, String)> {
    let proposal = infra::db::proposals::lock(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("proposal"))?;
    let (round, path) = infra::db::proposals::round(conn, proposal.round_id)
        .await?
        .ok_or_else(|| AppError::not_found("proposal round"))?;
    Ok((proposal, round, path))
}

pub(super) fn phase(round: &RoundRow, now: DateTime<Utc>) -> RoundPhase {
    RoundPhase::at(
        Schedule {
            opens_at: round.opens_at,
            closes_at: round.closes_at,
        },
        now,
    )
}

fn not_open(round: &RoundRow, now: DateTime<Utc>) -> AppError {
    let why = match phase(round, now) {
        RoundPhase::Scheduled => "the round is not open yet",
        _ => "the round has closed",
    };
    AppError::new(ErrorCode::WrongState, why)
}

pub(super) fn decided(status: ProposalStatus) -> AppError {
    AppError::new(
        ErrorCode::WrongState,
        format!("the proposal was decided already: {status}"),
    )
}
