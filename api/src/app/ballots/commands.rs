//! The commands on a ballot: staff open one (its candidates, roster and secret key), deputies check in for a blind
//! signature (then vote by paper, elsewhere), staff close it (the papers are counted, the results recorded and the
//! elected projects' milestones become deadlines).

use super::{contest_of, found, phase_of, results_of, standing, view, Ballot, Results, Standing};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::issues::command::entry_of;
use crate::app::proposals::take_up;
use crate::app::reach::region_to_manage;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::ballot::{
    BallotTitle, Paper, PlannedMilestone, ProjectSummary, ProjectTitle, Schedule as BallotSchedule, SessionName,
};
use domain::fraction::Fraction;
use domain::permission::AdminScope;
use domain::Invalid;
use infra::ballot_key::{digest, receipt, sign_blinded, verifies, KeyError, TOKEN_BYTES};
use infra::db::ballots::{Cast, NewBallot, NewProject, Results as Recorded};
use infra::db::PgConn;
use infra::schedule::{Entry, Schedule};
use uuid::Uuid;

/// A candidate project, checked.
pub struct Candidate {
    pub id: Uuid,
    pub title: ProjectTitle,
    pub summary: ProjectSummary,
    pub agency_id: Uuid,
    pub budget_yuan: i64,
    pub milestones: Vec<PlannedMilestone>,
    /// The proposals it takes up (群众点单), checked named once in the ballot.
    pub proposals: Vec<Uuid>,
}

/// A ballot to open, its parts parsed and its contest checked.
pub struct NewBallotAsked<'a> {
    pub region_code: &'a str,
    pub title: BallotTitle,
    pub session: SessionName,
    pub seats: u32,
    pub threshold: Fraction,
    pub schedule: BallotSchedule,
    pub candidates: Vec<Candidate>,
    pub roster: Vec<Uuid>,
}

/// Staff open a ballot in their subtree: every deputy on the roster an enabled deputy there, every candidate's agency
/// an enabled agency there; a fresh key pair signs the deputies' blinded tokens. Done: the ballot as staff see it.
///
/// # Errors
/// 404 on `region_code` out of reach; `validation_failed` at `roster[i]` or `candidates[i].agency_id`.
pub async fn open<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    asked: NewBallotAsked<'_>,
    answer: impl FnOnce(Ballot) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, asked.region_code, "region_code").await?;
    let roster = &asked.roster;
    let candidates = &asked.candidates;
    let named: Vec<Uuid> = candidates.iter().map(|c| c.agency_id).collect();
    super::entitled(&mut conn, &region.path, roster, &named).await?;
    let (public_key, signing_key) = super::fresh_key().await?;
    let id = Uuid::now_v7();
    let new = NewBallot {
        id,
        region_code: &region.code,
        title: asked.title.as_str(),
        session: asked.session.as_str(),
        seats: i32::try_from(asked.seats).unwrap_or(i32::MAX),
        threshold: super::stored_share(asked.threshold),
        opens_at: asked.schedule.opens_at,
        closes_at: asked.schedule.closes_at,
        public_key: &public_key,
        signing_key: &signing_key,
        created_by: caller.actor.user_id,
        created_at: now,
        evaluation: None,
    };
    let projects: Vec<NewProject> = candidates
        .iter()
        .map(|c| NewProject {
            id: c.id,
            title: c.title.as_str(),
            summary: c.summary.as_str(),
            agency_id: c.agency_id,
            budget_yuan: c.budget_yuan,
            milestones: c.milestones.iter().map(|m| (m.title.as_str(), m.planned_on)).collect(),
        })
        .collect();
    let region_path = region.path();
    let (new, projects, region_path) = (&new, &projects, &region_path);
    commit(
        &mut conn,
        |conn| {
            async move {
                infra::db::ballots::insert(conn, new, projects, roster).await?;
                for (i, c) in candidates.iter().enumerate().filter(|(_, c)| !c.proposals.is_empty()) {
                    let field = format!("candidates[{i}].proposal_ids");
                    take_up(conn, region_path, c.id, &c.proposals, &field, now).await?;
                }
                let row = found(conn, id).await?;
                view(conn, row, &Standing::Staff, now).await
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// A deputy on the roster checks in with a token blinded under the ballot's public key, while it is open; done, the
/// blind signature. Checking in again with the same token answers the same; with another, 409.
///
/// # Errors
/// 403 for anyone not on the roster; 409 outside the voting phase or for a second token; `validation_failed` on
/// `blinded_token` for one not blinded with this ballot's key.
pub async fn check_in<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    ballot: Uuid,
    blinded: &[u8],
    answer: impl FnOnce(Vec<u8>) -> AppResult<K> + Send,
) -> AppResult<K> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, ballot).await?;
    if let Standing::Staff = standing(&mut conn, &caller.actor, &ballot).await? {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "only the deputies on the roster vote",
        ));
    }
    phase_of(&ballot, state.clock.now())
        .may_vote()
        .map_err(|why| AppError::new(ErrorCode::Conflict, why))?;
    let key = infra::db::ballots::signing_key(&mut conn, ballot.id)
        .await?
        .ok_or_else(|| AppError::not_found("ballot"))?;
    let signature = sign_blinded(&key, blinded).map_err(|e| match e {
        KeyError::NotBlinded => AppError::from(Invalid::new(
            "blinded_token",
            "not_blinded",
            "is not a token blinded with this ballot's public key",
        )),
        other => AppError::internal(other),
    })?;
    let (hash, deputy, id) = (digest(blinded), caller.actor.user_id, ballot.id);
    let hash = &hash;
    commit(
        &mut conn,
        |conn| {
            async move {
                if !infra::db::ballots::check_in(conn, id, deputy, hash).await? {
                    let before = infra::db::ballots::roster_entry(conn, id, deputy).await?;
                    if before.flatten().as_deref() != Some(hash.as_slice()) {
                        return Err(AppError::new(
                            ErrorCode::Conflict,
                            "you have checked in to this ballot already, with another token",
                        ));
                    }
                }
                Ok(signature)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// Staff close a ballot: papers still held join the others in random order, the papers are counted
/// (`domain::ballot::Contest::tally`), the results recorded and the papers resealed; the elected projects'
/// milestones become deadlines from now. After the commit the papers' table is tidied and the deadlines scheduled.
/// Done: the results.
///
/// # Errors
/// 403 for anyone but staff over it; 409 when it may not close yet (`Phase::may_close`).
pub async fn close<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    ballot: Uuid,
    answer: impl FnOnce(Results) -> AppResult<K> + Send,
) -> AppResult<K> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, ballot).await?;
    let Standing::Staff = standing(&mut conn, &caller.actor, &ballot).await? else {
        return Err(AppError::new(ErrorCode::Forbidden, "ballots are closed by staff"));
    };
    let (id, config) = (ballot.id, &state.config);
    let mut scheduled = Vec::new();
    let answer = commit(
        &mut conn,
        |conn| {
            async move {
                let scheduled = count_and_record(conn, id, config, now).await?;
                Ok((scheduled, results_of(conn, id).await?))
            }
            .scope_boxed()
        },
        |(opened, results)| {
            scheduled = opened;
            answer(results)
        },
    )
    .await?;
    // The reseal left the papers' old versions behind, and free space may have scattered the new ones; the rewrite
    // removes the one and orders the other. A failure leaves the old versions to autovacuum.
    if let Err(e) = infra::db::ballots::vacuum_held(&mut conn).await {
        tracing::warn!(error = ?e, "could not vacuum the held ballot papers; autovacuum will remove the old versions");
    }
    if let Err(e) = infra::db::ballots::rewrite_papers_in_receipt_order(&mut conn).await {
        tracing::warn!(error = ?e, "could not rewrite the ballot papers after the reseal; autovacuum will remove the old versions");
    }
    if let Err(e) = Schedule::new(&state.redis).add(&scheduled).await {
        tracing::warn!(error = %e, "could not schedule the milestones; the rebuild will");
    }
    Ok(answer)
}

/// Inside `close`'s transaction: the count, the results, the reseal and the milestones' deadlines (what to schedule
/// once committed).
async fn count_and_record(
    conn: &mut PgConn,
    id: Uuid,
    config: &infra::config::Config,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Entry, DateTime<Utc>)>> {
    let b = infra::db::ballots::lock(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("ballot"))?;
    // Papers still held join the others now, in random order, before they are counted.
    infra::db::ballots::settle(conn, b.id).await?;
    let papers = infra::db::ballots::papers(conn, b.id).await?;
    let cast = u32::try_from(papers.len()).unwrap_or(u32::MAX);
    let roster = u32::try_from(b.roster_size).unwrap_or(0);
    phase_of(&b, now)
        .may_close(cast, roster)
        .map_err(|why| AppError::new(ErrorCode::Conflict, why))?;
    if super::evaluation::is_evaluation(&b) {
        return super::evaluation::close(conn, &b, papers, config, now).await;
    }
    let projects = infra::db::ballots::projects_of(conn, &[b.id]).await?;
    let contest = contest_of(&b, &projects)?;
    let papers: Vec<Paper> = papers
        .into_iter()
        .map(|choices| contest.paper(choices))
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::internal(anyhow::anyhow!("a stored paper breaks the ballot's rules: {e}")))?;
    let tally = contest.tally(&papers, roster);
    let as_i32 = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let outcomes: Vec<(Uuid, i32, &str, Option<i32>)> = tally
        .outcomes()
        .into_iter()
        .map(|(c, o)| (c.candidate, as_i32(c.votes), o.as_str(), o.rank().map(as_i32)))
        .collect();
    let recorded = Recorded {
        closed_at: now,
        cast: as_i32(tally.cast),
        open_seats: as_i32(tally.open_seats),
        projects: &outcomes,
    };
    infra::db::ballots::record_results(conn, b.id, &recorded).await?;
    infra::db::ballots::reseal(conn, b.id).await?;
    begin_timelines(conn, b.id, &outcomes, tally.cast, now).await?;
    // The elected projects' milestones become deadlines from now.
    let calendar = infra::db::calendar::calendar(conn).await?;
    let milestones = infra::db::projects::open_milestones(conn, &tally.elected).await?;
    let opened: Vec<_> = milestones
        .iter()
        .filter_map(|(m, agency)| {
            let due = domain::project::due_at(m.planned_on)?;
            Some((
                m.id,
                *agency,
                domain::project::timing(&calendar, &config.supervision, now, due),
            ))
        })
        .collect();
    Ok(infra::db::deadlines::open_milestones(conn, &opened, now)
        .await?
        .iter()
        .filter_map(entry_of)
        .collect())
}

/// Each elected project's timeline begins with its election: its votes of the papers cast, and its place.
async fn begin_timelines(
    conn: &mut PgConn,
    ballot: Uuid,
    outcomes: &[(Uuid, i32, &str, Option<i32>)],
    cast: u32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (project, votes, _, rank) in outcomes.iter().filter(|(_, _, o, _)| *o == "elected") {
        let note = format!(
            "代表票决当选：{votes} 票（共 {cast} 张选票），第 {} 位",
            rank.unwrap_or(0)
        );
        let data = serde_json::json!({ "ballot_id": ballot, "votes": votes, "rank": rank, "cast": cast });
        let kind = domain::project::EventKind::Elected;
        crate::app::projects::timeline::record(conn, *project, kind, None, Some(&note), data, now).await?;
    }
    Ok(())
}

/// A paper being cast: the voting token, its signature by the ballot's key, and the projects chosen (an election) or
/// rated (an evaluation).
pub struct Casting<'a> {
    pub token: &'a [u8],
    pub signature: &'a [u8],
    pub choices: Vec<Uuid>,
    pub marks: Vec<(Uuid, domain::ballot::evaluation::Mark)>,
}

/// A paper is cast with a token the ballot's key signed (no account: the token is the right to vote, once); done,
/// whether it is new or the same paper again, and its receipt.
///
/// # Errors
/// `validation_failed` on `token` of the wrong length or on `choices`; 409 outside the voting phase or for a token
/// spent on another paper; 403 on `signature` for a token this ballot's key did not sign.
pub async fn cast(state: &AppState, ballot: Uuid, paper: Casting<'_>) -> AppResult<(Cast, String)> {
    if paper.token.len() != TOKEN_BYTES {
        return Err(Invalid::new("token", "malformed", format!("must be {TOKEN_BYTES} bytes")).into());
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, ballot).await?;
    phase_of(&ballot, state.clock.now())
        .may_vote()
        .map_err(|why| AppError::new(ErrorCode::Conflict, why))?;
    if !verifies(&ballot.public_key, paper.token, paper.signature) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "the token is not signed by this ballot's key: check in first",
        )
        .with_field("signature"));
    }
    let checked = if super::evaluation::is_evaluation(&ballot) {
        super::evaluation::paper(&mut conn, &ballot, paper.marks).await?
    } else {
        let projects = infra::db::ballots::projects_of(&mut conn, &[ballot.id]).await?;
        contest_of(&ballot, &projects)?.paper(paper.choices)?
    };
    let receipt = receipt(paper.token);
    let (token, kept) = (digest(paper.token), digest(receipt.as_bytes()));
    match infra::db::ballots::cast(&mut conn, ballot.id, &token, checked.choices(), &kept).await? {
        Cast::Spent => Err(AppError::new(
            ErrorCode::Conflict,
            "this token has cast its paper already",
        )),
        cast => Ok((cast, receipt)),
    }
}
