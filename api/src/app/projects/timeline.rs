//! An elected project's timeline: every change to it recorded as an event chained to the one before
//! (`infra::db::project_events`), shown on its pages with whether the chain is whole.

use crate::app::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::timeline::{verify_in, Chain, StoredEvent, Verdict};
use domain::permission::Actor;
use domain::project::EventKind;
use infra::db::project_events::{NewProjectEvent, ProjectEventRow};
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Records an event on the project's timeline, in the caller's transaction.
///
/// # Errors
/// 404 for no such project; PostgreSQL failing.
pub async fn record(
    conn: &mut PgConn,
    project: Uuid,
    kind: EventKind,
    actor: Option<&Actor>,
    note: Option<&str>,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> AppResult<ProjectEventRow> {
    let new = NewProjectEvent {
        kind: kind.as_str(),
        actor_id: actor.map(|a| a.user_id),
        actor_role: actor.map(|a| a.role.as_str()),
        note,
        data,
    };
    infra::db::project_events::append(conn, project, new, now)
        .await?
        .ok_or_else(|| AppError::not_found("livelihood project"))
}

/// One event as a project's pages show it: what, when, by which role (never the person), and the sentence.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectEvent {
    pub seq: i32,
    pub kind: EventKind,
    /// `staff`, `handler`, `deputy` or `admin`; none for the system.
    pub actor_role: Option<String>,
    /// What happened, in a sentence (推迟「完成施工」：原定 2027-06-30，改为 2027-09-30，因……).
    pub note: Option<String>,
    pub data: serde_json::Value,
    pub at: DateTime<Utc>,
}

/// A project's timeline and whether its chain is whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectTimeline {
    pub events: Vec<ProjectEvent>,
    /// Every event's hash follows from the one before and what it says, and none is missing.
    pub intact: bool,
    /// The newest event's hash (hex): what a copy of the record can be checked against.
    pub head: Option<String>,
}

/// The project's timeline, checked.
///
/// # Errors
/// PostgreSQL failing.
pub async fn of(conn: &mut PgConn, project: Uuid) -> AppResult<ProjectTimeline> {
    let (rows, recorded) = infra::db::project_events::of(conn, project).await?;
    let stored: Vec<StoredEvent<'_>> = rows
        .iter()
        .map(|r| StoredEvent {
            content: r.content(),
            prev_hash: &r.prev_hash,
            hash: &r.hash,
        })
        .collect();
    let verdict = verify_in(Chain::Project, &stored, recorded);
    let (intact, head) = match verdict {
        Verdict::Intact { events: 0, .. } => (true, None),
        Verdict::Intact { head, .. } => (true, Some(infra::encoding::hex(&head))),
        Verdict::Broken { .. } => (false, None),
    };
    let events = rows
        .into_iter()
        .map(|r| ProjectEvent {
            seq: r.seq,
            kind: r.kind.parse().unwrap_or(EventKind::Elected),
            actor_role: r.actor_role,
            note: r.note,
            data: serde_json::from_str(&r.data).unwrap_or(serde_json::Value::Null),
            at: r.at,
        })
        .collect();
    Ok(ProjectTimeline { events, intact, head })
}

/// The timeline of a project the caller may see (staff over it, its agency, deputies of its region).
///
/// # Errors
/// 404 / 403 as `ProjectRole::of`.
pub async fn read(state: &AppState, caller: &crate::app::Caller, project: Uuid) -> AppResult<ProjectTimeline> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = super::found(&mut conn, project).await?;
    super::role_over(&caller.actor, &supervised)?;
    of(&mut conn, project).await
}
