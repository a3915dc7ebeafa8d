use super::read::{results_of, Results};
use super::{contest_of, found, phase_of, standing, Standing};
use crate::app::issues::command::entry_of;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::ballot::Paper;
use infra::db::ballots::Results as Recorded;
use infra::db::AsyncConnection;
use infra::schedule::{Entry, Schedule};
use uuid::Uuid;

/// Close a ballot and tally it, once (staff of its region): after its closing time, or earlier once every deputy
/// on the roster has cast. The papers are then rewritten in receipt order (so not even the database's row order
/// keeps when they came), the results are published, and the elected projects' milestones start as deadlines.
#[utoipa::path(tag = "ballots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ballot")),
    responses((status = 200, body = Results)))]
#[post("/ballots/{id}/close")]
pub async fn close(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, *id).await?;
    let Standing::Staff = standing(&mut conn, &auth.actor, &ballot).await? else {
        return Err(ApiError::new(ErrorCode::Forbidden, "ballots are closed by staff"));
    };
    let config = state.config.clone();
    let (scheduled, answer): (Vec<(Entry, DateTime<Utc>)>, Answer) = conn
        .transaction(async |conn| {
            let b = infra::db::ballots::lock(conn, ballot.id)
                .await?
                .ok_or_else(|| ApiError::not_found("ballot"))?;
            // Papers still held join the others now, in random order, before they are counted.
            infra::db::ballots::settle(conn, b.id).await?;
            let papers = infra::db::ballots::papers(conn, b.id).await?;
            let cast = u32::try_from(papers.len()).unwrap_or(u32::MAX);
            let roster = u32::try_from(b.roster_size).unwrap_or(0);
            phase_of(&b, now)
                .may_close(cast, roster)
                .map_err(|why| ApiError::new(ErrorCode::Conflict, why))?;
            let projects = infra::db::ballots::projects_of(conn, &[b.id]).await?;
            let contest = contest_of(&b, &projects)?;
            let papers: Vec<Paper> = papers
                .into_iter()
                .map(|choices| contest.paper(choices))
                .collect::<Result<_, _>>()
                .map_err(|e| ApiError::internal(anyhow::anyhow!("a stored paper breaks the ballot's rules: {e}")))?;
            let tally = contest.tally(&papers, roster);
            let outcomes: Vec<(Uuid, i32, &str, Option<i32>)> = tally
                .counts
                .iter()
                .map(|c| {
                    let rank = tally.elected.iter().position(|e| *e == c.candidate);
                    let outcome = if rank.is_some() {
                        "elected"
                    } else if tally.runoff.contains(&c.candidate) {
                        "runoff"
                    } else {
                        "not_elected"
                    };
                    (
                        c.candidate,
                        i32::try_from(c.votes).unwrap_or(i32::MAX),
                        outcome,
                        rank.and_then(|r| i32::try_from(r + 1).ok()),
                    )
                })
                .collect();
            let recorded = Recorded {
                closed_at: now,
                cast: i32::try_from(tally.cast).unwrap_or(i32::MAX),
                open_seats: i32::try_from(tally.open_seats).unwrap_or(i32::MAX),
                projects: &outcomes,
            };
            infra::db::ballots::record_results(conn, b.id, &recorded).await?;
            infra::db::ballots::reseal(conn, b.id).await?;
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
            let scheduled: Vec<_> = infra::db::deadlines::open_milestones(conn, &opened, now)
                .await?
                .iter()
                .filter_map(entry_of)
                .collect();
            let answer = Answer::json(&auth, StatusCode::OK, None, &results_of(conn, b.id).await?)?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>((scheduled, answer))
        })
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
    Ok(answer.respond())
}
