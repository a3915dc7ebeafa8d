//! 督: the worker's deadline steps. Due entries are claimed from the Redis schedule (atomically, with a lease that
//! lets another worker take over from one that died); each is acted on in one PostgreSQL transaction that locks the
//! issue and the deadline and checks that the step is still the deadline's next one — so a step claimed twice (a
//! rebuild re-added it, a lease ran out under a slow worker) is acted on once. Acting writes the timeline event and
//! the notifications and moves the deadline to its next step, which goes back on the schedule.

use super::milestones::Outcome;
use crate::app::error::{AppError, AppResult};
use crate::app::issues::command::{close_unrated, entry_at, entry_of};
use crate::app::notify::{announce, Subject};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::deadline::Stage;
use domain::issue::notice::{of_step, Audience};
use domain::issue::warning::Step;
use infra::db::deadlines;
use infra::db::due::{lock_due, DueStep, Locks};
use infra::db::events::NewEvent;
use infra::db::issues::Read;
use infra::db::AsyncConnection;
use infra::schedule::{Entry, Schedule};
use serde_json::json;
use std::time::Instant;

/// Entries claimed at a time, and acted on together in one transaction.
const BATCH: usize = 1000;
/// Deadlines read per page while rebuilding.
const REBUILD_PAGE: i64 = 10_000;

/// Takes every step that is due now, batch after batch, `worker.batches` batches at a time. Answers how many steps it
/// acted on. A batch is bound by PostgreSQL writing its rows; while one batch waits on its statements another keeps
/// the database's other cores busy, so one worker does what two did. Batches running together never take a step
/// twice: their claims are disjoint, and an issue one batch holds the other passes over (`SKIP LOCKED`) and takes
/// alone once it is free.
pub async fn tick(state: &AppState) -> usize {
    let lanes = (0..state.config.worker.batches).map(|_| lane(state));
    futures_util::future::join_all(lanes).await.into_iter().sum()
}

/// Claims and takes batches until none is due.
async fn lane(state: &AppState) -> usize {
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
        // Most steps are taken together, in one transaction; what the batch leaves (a project's milestone, a deadline
        // that ended or that a command holds, a rating deadline) is taken one by one.
        let alone = match act_together(state, &claimed, now).await {
            Ok(batch) => {
                for (entry, outcome) in batch.done {
                    acted += usize::from(outcome.acted);
                    next.extend(outcome.next);
                    finished.push(entry);
                }
                batch.alone
            }
            Err(e) => {
                tracing::warn!(error = ?e, "could not act on a batch of deadline steps; taking them one by one");
                claimed
            }
        };
        for entry in alone {
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

/// What a batch came to: the entries it settled, and those left to be taken one by one.
pub struct Batch {
    pub done: Vec<(Entry, Outcome)>,
    pub alone: Vec<Entry>,
}

/// Acts on many claimed entries in one transaction, with a handful of statements whatever their number: the due
/// deadlines and their issues are locked together (skipping any held elsewhere), each issue's events are chained in
/// order and inserted at once, the issues' timelines and the deadlines' next steps are written at once, and the
/// handlers' notices and webhook messages go out in one statement. Each step is acted on once: only while it is still
/// the locked deadline's next.
pub async fn act_together(state: &AppState, entries: &[Entry], now: DateTime<Utc>) -> AppResult<Batch> {
    let ids: Vec<_> = entries.iter().map(|e| e.deadline).collect();
    let config = &state.config;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    conn.transaction(async |conn| {
        let found = lock_due(conn, &ids, Locks::SkipHeld).await?;
        take(conn, config, entries, &found, now).await
    })
    .await
}

/// Takes the steps of `entries` whose deadlines are in `found` (locked, with their issues), in the caller's
/// transaction; the rest are left `alone`. Rating deadlines are left too: closing an issue is a command of its own.
async fn take(
    conn: &mut infra::db::PgConn,
    config: &infra::config::Config,
    entries: &[Entry],
    found: &[DueStep],
    now: DateTime<Utc>,
) -> AppResult<Batch> {
    use infra::db::notifications::HandlersNotice;
    use std::collections::HashMap;
    {
        let mut by_deadline: HashMap<uuid::Uuid, Vec<Entry>> = HashMap::new();
        for entry in entries {
            by_deadline.entry(entry.deadline).or_default().push(*entry);
        }
        let mut done = Vec::new();
        let mut settled = std::collections::HashSet::new();
        let mut events = Vec::new();
        let mut notices = Vec::new();
        let mut timings = Vec::new();
        // Each issue's timeline as the batch moves it on: the last event's number and hash, and lateness.
        let mut chains: HashMap<uuid::Uuid, (i32, Vec<u8>, bool)> = HashMap::new();
        let mut order = Vec::new();
        for DueStep {
            deadline: d,
            issue,
            last_hash,
            key_supervision,
        } in found
        {
            let Some(deadline_stage) = d.stage() else { continue };
            // A closing for want of a rating is a command of its own: taken alone, after.
            if deadline_stage == Stage::Rate {
                continue;
            }
            for entry in by_deadline.get(&d.id).into_iter().flatten() {
                let entry = *entry;
                settled.insert(entry);
                let due_now = d.next_step() == Some(entry.step) && d.next_at.is_some_and(|at| at <= now);
                if !due_now {
                    done.push((
                        entry,
                        Outcome {
                            acted: false,
                            next: entry_of(d),
                        },
                    ));
                    continue;
                }
                let chain = chains.entry(issue.id).or_insert_with(|| {
                    order.push(issue.id);
                    let hash = last_hash
                        .clone()
                        .unwrap_or_else(|| domain::issue::timeline::GENESIS.to_vec());
                    (issue.last_seq, hash, false)
                });
                if entry.step == Step::Due && domain::stats::facts::late_when_due(deadline_stage) {
                    chain.2 = true;
                }
                let event = step_event(issue.status.as_str(), d, deadline_stage, entry.step, now);
                let chained = infra::db::events::chain(issue.id, chain.0, &chain.1, event, now);
                chain.0 = chained.seq;
                chain.1.clone_from(&chained.hash);
                events.push(chained);
                let subject = Subject {
                    issue,
                    joiners: &[],
                    lead: d.agency_id,
                    co: &[],
                };
                for notice in of_step(entry.step) {
                    let key = format!("{}:{}:{}:{notice}", d.id, entry.step, d.due_at.timestamp());
                    match (notice.audiences(), d.agency_id) {
                        ([Audience::Handlers], Some(agency)) => notices.push(HandlersNotice {
                            issue_id: issue.id,
                            agency_id: agency,
                            kind: notice.as_str(),
                            event_key: key,
                            title: notice.title(),
                            body: crate::app::notify::body_of(issue),
                            payload: crate::app::notify::webhook_payload(issue, d.agency_id, *notice, now),
                        }),
                        ([Audience::Handlers], None) => {}
                        // Staff and agency contacts are found a level at a time: told one notice at a time.
                        _ => announce(conn, config, &subject, *notice, &key, now).await?,
                    }
                }
                let again = config.supervision.again_for(*key_supervision);
                let timing = d.timing().after(deadline_stage, entry.step, again);
                timings.push((d.id, timing));
                done.push((
                    entry,
                    Outcome {
                        acted: true,
                        next: entry_at(d.id, timing),
                    },
                ));
            }
        }
        infra::db::events::insert_many(conn, &events).await?;
        let advanced: Vec<_> = order
            .iter()
            .filter_map(|id| chains.get(id).map(|(seq, _, late)| (*id, *seq, *late)))
            .collect();
        infra::db::issues::advance_many(conn, &advanced).await?;
        infra::db::notifications::notify_handlers(conn, &notices, now).await?;
        deadlines::set_next_steps(conn, &timings).await?;
        let alone = entries.iter().copied().filter(|e| !settled.contains(e)).collect();
        Ok(Batch { done, alone })
    }
}

/// The timeline event of a deadline step.
fn step_event<'a>(
    status: &'a str,
    d: &deadlines::DeadlineRow,
    stage: Stage,
    step: Step,
    now: DateTime<Utc>,
) -> NewEvent<'a> {
    NewEvent {
        kind: kind_of(step),
        actor_id: None,
        actor_role: None,
        from_status: Some(status),
        to_status: Some(status),
        note: None,
        internal: false,
        data: json!({
            "deadline_id": d.id,
            "stage": stage,
            "due_at": d.due_at,
            "warning": d.warning(now),
            "agency_id": d.agency_id,
        }),
    }
}

/// Acts on one claimed entry, once: its subject (the issue, or the milestone) and the deadline are locked, and a step
/// that is no longer the deadline's next (done by another worker, or the deadline ended or moved) is only
/// rescheduled.
pub async fn act(state: &AppState, entry: Entry, now: DateTime<Utc>) -> AppResult<Outcome> {
    let skip = |next| Ok::<_, AppError>(Outcome { acted: false, next });
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let config = &state.config;
    let issue_id = match deadlines::subject_of(&mut conn, entry.deadline).await? {
        Some(deadlines::Subject::Issue(issue)) => issue,
        Some(deadlines::Subject::Milestone(_)) => {
            return conn
                .transaction(async |conn| super::milestones::act(conn, config, entry, now).await)
                .await
        }
        None => return skip(None),
    };
    conn.transaction(async |conn| {
        // The issue first, then the deadline: the order commands take them in, so the two never deadlock. Here the
        // worker waits for a command that holds them, where a batch passes over.
        let Some(issue) = infra::db::issues::with_standing(conn, issue_id, Read::ForCommand).await? else {
            return skip(None);
        };
        let found = lock_due(conn, &[entry.deadline], Locks::Wait).await?;
        let Some(d) = found.first().map(|f| &f.deadline) else {
            return skip(None);
        };
        if d.stage() == Some(Stage::Rate) {
            let due_now = d.next_step() == Some(entry.step) && d.next_at.is_some_and(|at| at <= now);
            if !due_now {
                return skip(entry_of(d));
            }
            close_unrated(conn, config, &issue, now).await?;
            return Ok(Outcome {
                acted: true,
                next: None,
            });
        }
        let batch = take(conn, config, &[entry], &found, now).await?;
        Ok(batch.done.into_iter().next().map_or(
            Outcome {
                acted: false,
                next: None,
            },
            |(_, o)| o,
        ))
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
    let (mut after, mut total) = (None, 0);
    loop {
        let page = deadlines::scheduled(&mut conn, after, REBUILD_PAGE)
            .await
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
    schedule.mark_built(started).await.map_err(|e| e.to_string())?;
    Ok(total)
}
