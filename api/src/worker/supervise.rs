//! 督: the worker's deadline steps. Due entries are claimed from the Redis schedule (atomically, with a lease that
//! lets another worker take over from one that died); each is acted on in one PostgreSQL transaction that locks the
//! issue and the deadline and checks that the step is still the deadline's next one — so a step claimed twice (a
//! rebuild re-added it, a lease ran out under a slow worker) is acted on once. Acting writes the timeline event and
//! the notifications and moves the deadline to its next step, which goes back on the schedule.

use crate::error::{ApiError, ApiResult};
use crate::handlers::issues::command::{close_unrated, entry_of};
use crate::notify::{announce, Subject};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::deadline::Stage;
use domain::issue::notice::of_step;
use domain::issue::warning::Step;
use infra::db::events::NewEvent;
use infra::db::AsyncConnection;
use infra::schedule::{Entry, Schedule};
use serde_json::json;
use std::time::Instant;

/// Entries claimed at a time.
const BATCH: usize = 200;
/// Deadlines read per page while rebuilding.
const REBUILD_PAGE: i64 = 10_000;

/// Takes every step that is due now, batch after batch. Answers how many steps it acted on.
pub async fn tick(state: &AppState) -> usize {
    let schedule = Schedule::new(&state.redis);
    let lease = chrono::Duration::from_std(state.config.worker.lease).unwrap_or(chrono::Duration::seconds(60));
    let mut acted = 0;
    loop {
        let now = state.clock.now();
        let claimed = match schedule.claim(now, lease, BATCH).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "could not claim deadline steps; will retry");
                return acted;
            }
        };
        if claimed.is_empty() {
            return acted;
        }
        let mut next = Vec::new();
        let mut finished = Vec::new();
        for entry in claimed {
            match act(state, entry, now).await {
                Ok(outcome) => {
                    acted += usize::from(outcome.acted);
                    next.extend(outcome.next);
                    finished.push(entry);
                }
                // Left claimed: another try once the lease runs out.
                Err(e) => tracing::warn!(error = ?e, deadline_id = %entry.deadline, "could not act on a deadline step"),
            }
        }
        if let Err(e) = schedule.add(&next).await {
            tracing::warn!(error = %e, "could not schedule the next steps; the rebuild will");
        }
        if let Err(e) = schedule.finish(&finished).await {
            tracing::warn!(error = %e, "could not release finished claims; their leases will run out");
        }
    }
}

/// What acting on one entry came to.
pub struct Outcome {
    pub acted: bool,
    pub next: Option<(Entry, DateTime<Utc>)>,
}

/// Acts on one claimed entry, once: the issue and the deadline are locked, and a step that is no longer the
/// deadline's next (done by another worker, or the deadline ended or moved) is only rescheduled.
pub async fn act(state: &AppState, entry: Entry, now: DateTime<Utc>) -> ApiResult<Outcome> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let Some(issue_id) = infra::db::deadlines::issue_of(&mut conn, entry.deadline).await? else {
        // Not an issue's deadline: a livelihood project's milestone, or gone.
        let outcome = super::milestones::act(state, entry, now).await?;
        return Ok(outcome.unwrap_or(Outcome {
            acted: false,
            next: None,
        }));
    };
    let config = &state.config;
    conn.transaction(async |conn| {
        let skip = |next| Ok::<_, ApiError>(Outcome { acted: false, next });
        // The issue first, then the deadline: the order commands take them in, so the two never deadlock.
        let Some(issue) = infra::db::issues::lock(conn, issue_id).await? else {
            return skip(None);
        };
        let Some(d) = infra::db::deadlines::lock_open(conn, entry.deadline).await? else {
            return skip(None);
        };
        let due_now = d.next_step() == Some(entry.step) && d.next_at.is_some_and(|at| at <= now);
        if !due_now {
            return skip(entry_of(&d));
        }
        let Some(deadline_stage) = d.stage() else {
            return skip(None);
        };
        if deadline_stage == Stage::Rate {
            close_unrated(conn, config, issue_id, now).await?;
            return Ok(Outcome {
                acted: true,
                next: None,
            });
        }
        let key_supervision = infra::db::issues::marks(conn, issue_id).await?.key_supervision;
        if entry.step == Step::Due && domain::stats::facts::late_when_due(deadline_stage) {
            infra::db::issues::mark_reply_late(conn, issue_id).await?;
        }
        let warning = d.warning(now);
        let event = NewEvent {
            kind: kind_of(entry.step),
            actor_id: None,
            actor_role: None,
            from_status: Some(issue.status.as_str()),
            to_status: Some(issue.status.as_str()),
            note: None,
            internal: false,
            data: json!({
                "deadline_id": d.id,
                "stage": deadline_stage,
                "due_at": d.due_at,
                "warning": warning,
                "agency_id": d.agency_id,
            }),
        };
        infra::db::events::append(conn, issue_id, issue.last_seq, &event, now).await?;
        let subject = Subject {
            issue: &issue,
            lead: d.agency_id,
            co: &[],
        };
        for notice in of_step(entry.step) {
            let key = format!("{}:{}:{}:{notice}", d.id, entry.step, d.due_at.timestamp());
            announce(conn, config, &subject, *notice, &key, now).await?;
        }
        let again = config.supervision.again_for(key_supervision);
        let timing = d.timing().after(deadline_stage, entry.step, again);
        let next = timing.next;
        infra::db::deadlines::retime(conn, d.id, timing).await?;
        Ok(Outcome {
            acted: true,
            next: next.map(|(step, at)| (Entry { deadline: d.id, step }, at)),
        })
    })
    .await
}

/// The timeline's word for a step.
fn kind_of(step: Step) -> &'static str {
    match step {
        Step::Warn => "deadline-warn",
        Step::Due => "deadline-due",
        Step::Escalate => "deadline-escalate",
    }
}

/// Rebuilds the schedule when Redis lost it (the marker key is gone) or when it is time to anyway.
pub async fn rebuild_when_needed(state: &AppState, last: &mut Option<Instant>) {
    let schedule = Schedule::new(&state.redis);
    let gone = match schedule.is_built().await {
        Ok(built) => !built,
        Err(e) => {
            tracing::warn!(error = %e, "could not reach Redis to check the schedule; will retry");
            return;
        }
    };
    let due = last.is_none_or(|t| t.elapsed() >= state.config.worker.rebuild_every);
    if !(gone || due) {
        return;
    }
    match rebuild(state).await {
        Ok(n) => {
            *last = Some(Instant::now());
            if gone {
                tracing::info!(entries = n, "rebuilt the deadline schedule from PostgreSQL");
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not rebuild the deadline schedule; will retry"),
    }
}

/// Puts every open deadline's next step on the schedule, page by page, then marks the schedule built. Entries
/// already there only move to the same moment; a step that passed while Redis was empty is due at once.
///
/// # Errors
/// A short reason when PostgreSQL or Redis fails.
pub async fn rebuild(state: &AppState) -> Result<usize, String> {
    let schedule = Schedule::new(&state.redis);
    let started = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await.map_err(|e| e.to_string())?;
    let mut total = 0;
    for milestones in [false, true] {
        total += rebuild_from(&schedule, &mut conn, milestones).await?;
    }
    schedule.mark_built(started).await.map_err(|e| e.to_string())?;
    Ok(total)
}

/// Puts the next steps of the open deadlines of issues, or of projects' milestones, on the schedule.
async fn rebuild_from(
    schedule: &Schedule<'_>,
    conn: &mut infra::db::PgConn,
    milestones: bool,
) -> Result<usize, String> {
    let (mut after, mut total) = (None, 0);
    loop {
        let page = if milestones {
            infra::db::projects::scheduled(conn, after, REBUILD_PAGE).await
        } else {
            infra::db::deadlines::scheduled(conn, after, REBUILD_PAGE).await
        }
        .map_err(|e| e.to_string())?;
        let entries: Vec<(Entry, DateTime<Utc>)> = page
            .iter()
            .filter_map(|(id, step, at)| {
                Some((
                    Entry {
                        deadline: *id,
                        step: step.parse().ok()?,
                    },
                    *at,
                ))
            })
            .collect();
        schedule.add(&entries).await.map_err(|e| e.to_string())?;
        total += entries.len();
        match page.last() {
            Some((id, _, _)) if page.len() == usize::try_from(REBUILD_PAGE).unwrap_or(usize::MAX) => after = Some(*id),
            _ => break,
        }
    }
    Ok(total)
}
