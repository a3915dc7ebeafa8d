//! One way every command runs: lock the issue, let the domain plan the command whole (`domain::issue::plan`: the next
//! state, the deadlines it ends and opens, who is told, the statistics fact), write what the command leaves behind,
//! apply the plan, append the timeline event, commit — all in one transaction, so a command happens wholly or not
//! at all.

use super::effects::{self, Context};
use super::load::{locked_issue, viewable_as, viewable_beside, Loaded};
use super::view::{event_view, limits, view, IssueView, TimelineEvent};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::notify::{announce, Subject};
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::deadline::{span_of, Change};
use domain::issue::plan::{RatingLapsed, Situation};
use domain::issue::warning::Timing;
use domain::issue::{Command, Refusal, Transition};
use infra::db::deadlines::DeadlineRow;
use infra::db::events::NewEvent;
use infra::db::issues::Saved;
use infra::db::reference::Reference;
use infra::db::PgConn;
use infra::schedule::{Entry, Schedule};
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Denied(d) => AppError::from(d),
            Refusal::WrongState { status, allowed } => {
                let mut e = AppError::new(
                    ErrorCode::WrongState,
                    format!("the issue is {status}; this command does not apply now"),
                );
                e.state = Some(Box::new((
                    status.as_str().to_owned(),
                    allowed.iter().map(|a| a.as_str().to_owned()).collect(),
                )));
                e
            }
        }
    }
}

/// What a command answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    /// The issue as the caller now sees it.
    Issue,
    /// The timeline event the command appended (a comment).
    Event,
}

/// A command's answer, as [`Answers`] asked.
#[derive(Debug, Serialize)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // made once per command and serialised at once
pub enum Outcome {
    Issue(IssueView),
    Event(TimelineEvent),
}

/// Runs `command` on issue `id` for the caller; what it leaves besides the state and the event (a rating row, an
/// extension row) is written by `effects::apply`. `answer` makes the caller's answer from the outcome; it is kept
/// (HTTP: under the request's `Idempotency-Key`) in the same transaction, so a retry after a lost answer replays it.
pub async fn execute<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    command: Command,
    note: Option<&str>,
    answers: Answers,
    answer: impl FnOnce(&Outcome) -> AppResult<K> + Send,
) -> AppResult<K> {
    let reach = Some(command.action());
    execute_as(state, caller, id, note, answers, reach, |_, _| Ok(command), answer).await
}

/// Runs the command `prepare` makes from the locked issue and the reference data (routing by the rules of the
/// issue's category and place), as [`execute`] does. `reach`, the command's action when known before the issue is
/// read, lets the rules admit a caller who does not see the issue yet (a citizen joining it).
#[allow(clippy::too_many_arguments)] // the command's parts, each of its own kind
pub async fn execute_as<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    note: Option<&str>,
    answers: Answers,
    reach: Option<domain::issue::Action>,
    prepare: impl FnOnce(&Loaded, &Reference) -> AppResult<Command> + Send,
    answer: impl FnOnce(&Outcome) -> AppResult<K> + Send,
) -> AppResult<K> {
    let limits = limits(&state.config);
    let actor = &caller.actor;
    let now = state.clock.now();
    let config = &state.config;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let mut scheduled = None;
    let reference = &reference;
    let answer = commit(
        &mut conn,
        |conn| {
            async move {
                let loaded = locked_issue(conn, actor, id, reach).await?;
                let command = prepare(&loaded, reference)?;
                let current = loaded.state()?;
                let open: Vec<_> = loaded
                    .deadlines
                    .iter()
                    .filter_map(|d| Some((d.stage()?, d.due_at)))
                    .collect();
                let found = Situation {
                    relations: &loaded.relations,
                    state: &current,
                    reported_at: loaded.row.created_at,
                    routed_at: loaded.routed_at,
                    open: &open,
                };
                let plan = domain::issue::plan::of(&found, &command, limits, &reference.calendar, now)?;
                let transition = &plan.transition;
                let step = Context {
                    row: &loaded.row,
                    deadlines: &loaded.deadlines,
                    reference,
                    transition,
                    relations: loaded.relations,
                    actor,
                    now,
                    config,
                };
                let mut data = effects::apply(conn, &step, &command).await?;
                let opened = move_deadlines(conn, reference, config, &loaded, transition, &plan.deadlines, now).await?;
                if let (Value::Object(map), false) = (&mut data, opened.is_empty()) {
                    map.insert("deadlines".into(), Value::Array(opened));
                }
                let action = command.action();
                let event = NewEvent {
                    kind: action.as_str(),
                    actor_id: Some(actor.user_id),
                    actor_role: Some(actor.role.as_str()),
                    from_status: Some(transition.from.as_str()),
                    to_status: Some(transition.to.as_str()),
                    note,
                    // Why an issue is kept from the public is for the people who work it, like internal comments.
                    internal: matches!(
                        command,
                        Command::Comment { internal: true, .. } | Command::Withhold { .. }
                    ),
                    data,
                };
                let row = infra::db::events::insert_next(conn, id, loaded.row.last_seq, &loaded.last_hash, &event, now)
                    .await?;
                // The state goes last: the write's RETURNING then sees the command's rows, deadlines and event, and
                // answers the issue as the command leaves it without a read of its own.
                let saved = match answers {
                    Answers::Issue => Saved::WithView,
                    Answers::Event => Saved::Quietly,
                };
                let standing =
                    infra::db::issues::save_state(conn, id, &transition.state, row.seq, plan.checkpoint, now, saved)
                        .await?;
                let subject = Subject {
                    issue: &loaded.row,
                    joiners: &loaded.parties.joiners,
                    lead: transition.state.lead_agency,
                    co: &transition.state.co_agencies,
                };
                for &notice in &plan.notices {
                    let key = format!("{id}:{}:{notice}", row.seq);
                    announce(conn, config, &subject, notice, &key, now).await?;
                }
                // The issue view carries the open deadlines anyway: they go on the Redis schedule after the commit.
                let (outcome, opened_now) = match standing {
                    Some(standing) => {
                        let viewable = viewable_as(actor, standing)?;
                        let (issue, deadlines) = view(actor, viewable, limits, now, reference)?;
                        (Outcome::Issue(issue), Some(deadlines))
                    }
                    None => {
                        let people = infra::db::users::people(conn, &[actor.user_id]).await?;
                        (Outcome::Event(event_view(actor, row, &people, false)), None)
                    }
                };
                Ok((outcome, opened_now))
            }
            .scope_boxed()
        },
        |(outcome, opened_now)| {
            scheduled = opened_now;
            answer(&outcome)
        },
    )
    .await?;
    drop(conn);
    match scheduled {
        Some(deadlines) => schedule(state, id, &deadlines).await,
        None => schedule_issue(state, id).await,
    }
    Ok(answer)
}

/// Puts deadlines just read on the Redis schedule. Best effort, as [`schedule_issue`].
async fn schedule(state: &AppState, id: Uuid, deadlines: &[DeadlineRow]) {
    let entries: Vec<_> = deadlines.iter().filter_map(entry_of).collect();
    if let Err(e) = Schedule::new(&state.redis).add(&entries).await {
        tracing::warn!(error = %e, issue_id = %id, "could not schedule deadlines in Redis; the rebuild will");
    }
}

/// Puts an issue's open deadlines on the Redis schedule after a command committed. Best effort: PostgreSQL already
/// holds what the worker must do, and the worker's rebuild puts back whatever this misses.
pub async fn schedule_issue(state: &AppState, id: Uuid) {
    let entries = match infra::db::pool::conn(&state.db).await {
        Ok(mut conn) => infra::db::deadlines::open_of(&mut conn, id).await,
        Err(e) => Err(e),
    };
    match entries {
        Ok(rows) => schedule(state, id, &rows).await,
        Err(e) => tracing::warn!(error = %e, issue_id = %id, "could not read deadlines to schedule; the rebuild will"),
    }
}

/// A deadline's next step as a schedule entry.
#[must_use]
pub fn entry_of(d: &DeadlineRow) -> Option<(Entry, DateTime<Utc>)> {
    entry_at(d.id, d.timing())
}

/// The schedule entry of deadline `id`'s next step, as `timing` has it (once the worker moved it on).
#[must_use]
pub fn entry_at(id: Uuid, timing: Timing) -> Option<(Entry, DateTime<Utc>)> {
    timing.next.map(|(step, at)| (Entry { deadline: id, step }, at))
}

/// Ends and opens deadlines as the domain plans them; answers the ones opened (for the event).
async fn move_deadlines(
    conn: &mut PgConn,
    reference: &Reference,
    config: &infra::config::Config,
    loaded: &Loaded,
    t: &Transition,
    changes: &[Change],
    now: DateTime<Utc>,
) -> AppResult<Vec<Value>> {
    let row = &loaded.row;
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let policy = reference.policy_for(&row.path(), row.category_code.as_deref())?;
    let cal = &reference.calendar;
    let mut opened = Vec::new();
    let round = i16::try_from(t.state.round).unwrap_or(i16::MAX);
    for change in changes {
        match *change {
            Change::End(stages, ending) => {
                // The open deadlines were read with the lock: ending none is no statement.
                let any_open = loaded
                    .deadlines
                    .iter()
                    .any(|d| d.stage().is_some_and(|s| stages.contains(&s)));
                if any_open {
                    infra::db::deadlines::end(conn, row.id, stages, ending, now).await?;
                }
            }
            Change::Open(stage) => {
                // The locked row's flag is the one that counts: routing sets it, and signing (a later command)
                // opens the reply deadline it lengthens.
                let due = cal.due(now, span_of(&policy, stage, row.complex));
                let agency = if stage.is_agency_stage() {
                    t.state.lead_agency
                } else {
                    None
                };
                let key = t.state.key_supervision;
                let timing = Timing::new(cal, &config.supervision, stage, now, due, key);
                infra::db::deadlines::open(conn, row.id, stage, round, agency, now, timing).await?;
                opened.push(json!({ "stage": stage.as_str(), "due_at": due }));
            }
        }
    }
    Ok(opened)
}

/// The issue as the token's `holder` sees it now: who they are is read beside the issue, in one wait
/// (`load::viewable_beside`).
pub async fn current_view(state: &AppState, holder: crate::app::door::Holder, id: Uuid) -> AppResult<IssueView> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (admitted, viewable) = viewable_beside(&conn, holder, id).await?;
    let reference = state.reference.at_least(&mut conn, admitted.reference_version).await?;
    let now = state.clock.now();
    Ok(view(&admitted.actor, viewable, limits(&state.config), now, &reference)?.0)
}

/// The service's own command: a replied issue whose rating deadline passed closes unrated, inside the caller's
/// transaction (the worker's, which holds the issue, locked `issue`, and the deadline). The domain plans it whole
/// (`plan::of_rating_lapsed`); this applies the plan as the runner applies a person's: the state, the deadlines it
/// ends, the timeline event, who is told. An issue no longer replied only has its stale deadline cancelled. Answers
/// whether it closed it.
pub async fn close_unrated(
    conn: &mut PgConn,
    config: &infra::config::Config,
    issue: &infra::db::issues::Standing,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let row = &issue.row;
    let plan = match domain::issue::plan::of_rating_lapsed(&row.state(issue.marks)?) {
        RatingLapsed::Closes(plan) => plan,
        RatingLapsed::Stale(change) => {
            end_deadlines(conn, row.id, &[change], now).await?;
            return Ok(false);
        }
    };
    let transition = &plan.transition;
    let seq = row.last_seq + 1;
    infra::db::issues::save_state(
        conn,
        row.id,
        &transition.state,
        seq,
        plan.checkpoint,
        now,
        Saved::Quietly,
    )
    .await?;
    end_deadlines(conn, row.id, &plan.deadlines, now).await?;
    let event = NewEvent {
        kind: "close-unrated",
        actor_id: None,
        actor_role: None,
        from_status: Some(transition.from.as_str()),
        to_status: Some(transition.to.as_str()),
        note: None,
        internal: false,
        data: json!({}),
    };
    let appended = infra::db::events::insert_next(conn, row.id, row.last_seq, &issue.last_hash, &event, now).await?;
    let subject = Subject {
        issue: row,
        joiners: &issue.parties.joiners,
        lead: transition.state.lead_agency,
        co: &transition.state.co_agencies,
    };
    for &notice in &plan.notices {
        let key = format!("{}:{}:{notice}", row.id, appended.seq);
        announce(conn, config, &subject, notice, &key, now).await?;
    }
    Ok(true)
}

/// Ends the deadlines a plan ends; the service's own command opens none.
async fn end_deadlines(conn: &mut PgConn, issue: Uuid, changes: &[Change], now: DateTime<Utc>) -> AppResult<()> {
    for change in changes {
        if let Change::End(stages, ending) = *change {
            infra::db::deadlines::end(conn, issue, stages, ending, now).await?;
        }
    }
    Ok(())
}
