//! 领单 — the plan can move: the responsible agency asks to postpone, add or amend a milestone with a reason; staff
//! over the project decide once. An approval changes the milestone and its deadline (colour and reminders follow the
//! new plan); asking and deciding are both on the project's timeline, and the other side is told.

use super::timeline::record;
use super::{found, role_over};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::issues::command::entry_of;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::project::plan::{
    may_ask, may_decide, sentence, Change, ChangeDecision, ChangeKind, ChangeReason, DecisionNote, Planned,
};
use domain::project::{today, EventKind};
use infra::db::notifications::{Audience, NewNotification};
use infra::db::plan_changes::{PlanChangeRow, OPEN_PER_MILESTONE};
use infra::db::projects::Supervised;
use infra::db::{DbError, PgConn};
use infra::schedule::{Entry, Schedule};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

/// A request to change the plan, and what staff decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanChange {
    pub id: Uuid,
    pub kind: ChangeKind,
    /// The milestone it changes; none for a new one.
    pub milestone_id: Option<Uuid>,
    /// The new milestone's or the amended one's title.
    pub title: Option<String>,
    /// The postponed milestone's new day, or the new milestone's.
    pub planned_on: Option<NaiveDate>,
    pub reason: String,
    pub asked_at: DateTime<Utc>,
    /// None while it waits.
    pub decision: Option<ChangeDecision>,
    pub decision_note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<PlanChangeRow> for PlanChange {
    fn from(r: PlanChangeRow) -> Self {
        PlanChange {
            id: r.id,
            kind: r.kind.parse().unwrap_or(ChangeKind::Postpone),
            milestone_id: r.milestone_id,
            title: r.title,
            planned_on: r.planned_on,
            reason: r.reason,
            asked_at: r.asked_at,
            decision: r.decision.as_deref().and_then(|d| d.parse().ok()),
            decision_note: r.decision_note,
            decided_at: r.decided_at,
        }
    }
}

/// The project's milestones as a change finds them, with each one's title.
async fn plan_of(conn: &mut PgConn, project: Uuid) -> AppResult<Vec<(Planned, String)>> {
    Ok(infra::db::ballots::milestones_of(conn, &[project])
        .await?
        .into_iter()
        .map(|m| {
            let planned = Planned {
                id: m.id,
                planned_on: m.planned_on,
                done: m.done_at.is_some(),
            };
            (planned, m.title)
        })
        .collect())
}

fn plain(plan: &[(Planned, String)]) -> Vec<Planned> {
    plan.iter().map(|(p, _)| *p).collect()
}

/// The responsible agency's handler asks to change the plan; staff over the project's region are told. Done: the
/// request.
///
/// # Errors
/// 404 / 403 by role; `validation_failed` at `milestone_id` or `planned_on` (`domain::project::plan::may_ask`); 409
/// when a request on that milestone waits already.
pub async fn ask<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    project: Uuid,
    (change, reason): (Change, ChangeReason),
    answer: impl FnOnce(PlanChange) -> AppResult<K> + Send,
) -> AppResult<K> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?.may_ask_plan_change()?;
    let region = crate::app::projects::region_of(&supervised);
    let staff = crate::app::notify::staff_up_from(&mut conn, &region).await?;
    let actor = &caller.actor;
    let (change, reason, supervised) = (&change, &reason, &supervised);
    commit(
        &mut conn,
        |conn| {
            async move {
                let plan = plan_of(conn, project).await?;
                may_ask(change, &plain(&plan), today(now))?;
                let row = PlanChangeRow {
                    id: Uuid::now_v7(),
                    project_id: project,
                    kind: change.kind().as_str().to_owned(),
                    milestone_id: change.milestone(),
                    title: change.title().map(str::to_owned),
                    planned_on: change.planned_on(),
                    reason: reason.as_str().to_owned(),
                    asked_by: actor.user_id,
                    asked_at: now,
                    decision: None,
                    decision_note: None,
                    decided_by: None,
                    decided_at: None,
                };
                infra::db::plan_changes::insert(conn, &row).await.map_err(|e| match e {
                    DbError::Duplicate(c) if c == OPEN_PER_MILESTONE => {
                        AppError::new(ErrorCode::Conflict, "a request on this milestone waits for a decision")
                            .with_field("milestone_id")
                    }
                    e => e.into(),
                })?;
                let was = was(&plan, change);
                let note = format!("申请{}", sentence(change, was, reason.as_str()));
                let data = json!({ "plan_change_id": row.id, "kind": change.kind(), "reason": reason.as_str() });
                record(
                    conn,
                    project,
                    EventKind::PlanChangeAsked,
                    Some(actor),
                    Some(&note),
                    data,
                    now,
                )
                .await?;
                let key = format!("plan-change:{}:asked", row.id);
                let body = format!("{}：{note}", supervised.project.title);
                let notice = NewNotification {
                    issue_id: None,
                    project_id: Some(project),
                    kind: "plan_change_asked",
                    event_key: &key,
                    title: "民生实事项目申请调整计划",
                    body: &body,
                };
                let nearest = staff.first().map_or(&[][..], Vec::as_slice);
                infra::db::notifications::tell(conn, nearest, &notice, now).await?;
                Ok(PlanChange::from(row))
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// What the milestone a change names was: its title and day.
fn was<'a>(plan: &'a [(Planned, String)], change: &Change) -> Option<(&'a str, NaiveDate)> {
    let id = change.milestone()?;
    plan.iter()
        .find(|(p, _)| p.id == id)
        .map(|(p, title)| (title.as_str(), p.planned_on))
}

/// What staff decide.
pub struct Deciding {
    pub decision: ChangeDecision,
    pub note: Option<DecisionNote>,
}

/// Staff over the project decide a waiting request, once. An approval changes the plan and the milestone's deadline
/// in the same transaction; the agency's handlers are told either way; the new deadline is scheduled once
/// committed. Done: the request as decided.
///
/// # Errors
/// 404 for a request not of this project; 403 for anyone but staff over it; 409 when it was decided already;
/// `validation_failed` when an approval no longer fits the plan (the milestone done meanwhile, its new day past).
pub async fn decide<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    (project, id): (Uuid, Uuid),
    deciding: Deciding,
    answer: impl FnOnce(PlanChange) -> AppResult<K> + Send,
) -> AppResult<K> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?.may_supervise("plan changes are decided by staff over the project")?;
    let calendar = infra::db::calendar::calendar(&mut conn).await?;
    let (actor, config, supervised, deciding, calendar) =
        (&caller.actor, &state.config, &supervised, &deciding, &calendar);
    let mut scheduled = Vec::new();
    let answer = commit(
        &mut conn,
        |conn| {
            async move {
                let row = infra::db::plan_changes::lock(conn, project, id)
                    .await?
                    .ok_or_else(|| AppError::not_found("plan change"))?;
                let change = Change::stored(&row.kind, row.milestone_id, row.title.as_deref(), row.planned_on)
                    .map_err(|e| AppError::internal(anyhow::anyhow!("{}", e.message)))?;
                let plan = plan_of(conn, project).await?;
                let decided = row.decision.as_deref().and_then(|d| d.parse().ok());
                may_decide(decided, deciding.decision, &change, &plain(&plan), today(now)).map_err(|e| match e {
                    None => AppError::new(ErrorCode::Conflict, "this plan change was decided already"),
                    Some(invalid) => invalid.into(),
                })?;
                let note = deciding.note.as_ref().map(DecisionNote::as_str);
                let decided =
                    infra::db::plan_changes::decide(conn, id, deciding.decision.as_str(), note, actor.user_id, now)
                        .await?;
                let mut opened = Vec::new();
                if deciding.decision == ChangeDecision::Approved {
                    opened = apply(conn, supervised, &change, (calendar, config), now).await?;
                }
                let said = sentence(&change, was(&plan, &change), &row.reason);
                let (kind, sentence, word) = match deciding.decision {
                    ChangeDecision::Approved => (EventKind::PlanChangeApproved, said, "同意"),
                    ChangeDecision::Refused => (EventKind::PlanChangeRefused, format!("不同意：{said}"), "不同意"),
                };
                let data = json!({ "plan_change_id": id, "kind": change.kind(), "note": note });
                record(conn, project, kind, Some(actor), Some(&sentence), data, now).await?;
                let key = format!("plan-change:{id}:decided");
                let body = format!(
                    "{}：{word}{}",
                    supervised.project.title,
                    sentence.trim_start_matches("不同意：")
                );
                let notice = NewNotification {
                    issue_id: None,
                    project_id: Some(project),
                    kind: "plan_change_decided",
                    event_key: &key,
                    title: "计划调整申请已有决定",
                    body: &body,
                };
                let to = Audience {
                    handlers_of: &[supervised.project.agency_id],
                    ..Audience::default()
                };
                infra::db::notifications::notify(conn, &to, &notice, now).await?;
                Ok((opened, PlanChange::from(decided)))
            }
            .scope_boxed()
        },
        |(opened, change)| {
            scheduled = opened;
            answer(change)
        },
    )
    .await?;
    if let Err(e) = Schedule::new(&state.redis).add(&scheduled).await {
        tracing::warn!(error = %e, "could not schedule the replanned milestone; the rebuild will");
    }
    Ok(answer)
}

/// Changes the plan as approved: the milestone's day and deadline, a new milestone with its deadline, or a title.
/// Answers the schedule entries of the deadlines moved or opened.
async fn apply(
    conn: &mut PgConn,
    project: &Supervised,
    change: &Change,
    (calendar, config): (&domain::issue::deadline::Calendar, &infra::config::Config),
    now: DateTime<Utc>,
) -> AppResult<Vec<(Entry, DateTime<Utc>)>> {
    // Milestones are supervised from the election: a new day's warning falls at the same share of that span.
    let elected = project.elected_at.unwrap_or(now);
    let timing = |day: NaiveDate| -> AppResult<_> {
        let due = domain::project::due_at(day)
            .ok_or_else(|| domain::Invalid::new("planned_on", "out_of_range", "is not a day that can be planned"))?;
        Ok(domain::project::timing(calendar, &config.supervision, elected, due))
    };
    Ok(match change {
        Change::Postpone { milestone, to } => {
            let moved = infra::db::plan_changes::postpone(conn, *milestone, *to, timing(*to)?).await?;
            moved.iter().filter_map(entry_of).collect()
        }
        Change::Add { title, planned_on } => {
            let id = infra::db::plan_changes::add(conn, project.project.id, title.as_str(), *planned_on).await?;
            let opened = [(id, project.project.agency_id, timing(*planned_on)?)];
            infra::db::deadlines::open_milestones(conn, &opened, now)
                .await?
                .iter()
                .filter_map(entry_of)
                .collect()
        }
        Change::Amend { milestone, title } => {
            infra::db::plan_changes::amend(conn, *milestone, title.as_str()).await?;
            Vec::new()
        }
    })
}

/// A project's plan changes, newest first, for those who may see the project.
///
/// # Errors
/// 404 / 403 as `ProjectRole::of`.
pub async fn list(state: &AppState, caller: &Caller, project: Uuid) -> AppResult<Vec<PlanChange>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?;
    Ok(infra::db::plan_changes::of(&mut conn, project, false)
        .await?
        .into_iter()
        .map(PlanChange::from)
        .collect())
}
