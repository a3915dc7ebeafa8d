//! What staff do with what a round gathered: decide each proposal (fold a duplicate into another, or say why it is
//! not taken), see and publish those the content check held; the proposer is told.

use super::{decided, locked, Proposal, LISTED};
use crate::app::error::{AppError, AppResult};
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::organisation::region::RegionPath;
use domain::permission::may_run_round;
use domain::proposal::{decide as judge, Decision, ProposalStatus, Refusal, Standing};
use infra::db::notifications::NewNotification;
use infra::db::proposals::{ProposalRow, RoundRow};
use uuid::Uuid;

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
                // A merge locks two proposals: both at once, in id order, so that two staff merging the pair into
                // each other at the same moment queue instead of deadlocking.
                if let Decision::Merge { into } = decision {
                    infra::db::proposals::lock_in_order(conn, &[id, *into]).await?;
                }
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

/// The proposals of round `id` held for review, most supported first: staff over its region see them.
///
/// # Errors
/// 404 for an unknown round; 403/404 for anyone but staff over its region and admins.
pub async fn held(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Vec<Proposal>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (_, path) = infra::db::proposals::round(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("proposal round"))?;
    may_run_round(&caller.actor, &RegionPath::from_stored(path))?;
    let rows = infra::db::proposals::of_round(&mut conn, id, true, None, LISTED).await?;
    Ok(rows.into_iter().map(Proposal::of).collect())
}

/// Staff publish a proposal held for review: the public reads it, and others may support it, from then on.
///
/// # Errors
/// 404 for an unknown proposal; 403/404 for anyone but staff over its round's region and admins.
pub async fn publish<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    answer: impl FnOnce(Proposal) -> AppResult<K> + Send,
) -> AppResult<K> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    commit(
        &mut conn,
        |conn| {
            async move {
                let (_, _, path) = locked(conn, id).await?;
                may_run_round(&caller.actor, &RegionPath::from_stored(path))?;
                Ok(infra::db::proposals::publish(conn, id).await?)
            }
            .scope_boxed()
        },
        |row| answer(Proposal::of(row)),
    )
    .await
}

/// Tells a proposal's proposer what became of it.
pub(super) async fn tell_proposer(
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
        project_id: None,
        kind: "proposal",
        event_key: &key,
        title: "民生实事建议有了结果",
        body: &body,
    };
    infra::db::notifications::tell(conn, &[p.author_id], &note, now).await?;
    Ok(())
}

fn standing(p: &ProposalRow) -> Standing {
    Standing {
        id: p.id,
        round: p.round_id,
        status: p.status.parse().unwrap_or(ProposalStatus::Open),
    }
}

fn refused(r: Refusal) -> AppError {
    match r {
        Refusal::Decided(status) => decided(status),
        Refusal::Invalid(invalid) => invalid.into(),
    }
}
