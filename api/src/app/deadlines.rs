//! 督: the open deadlines a supervisor watches, with their colour — staff for their region, handlers for their
//! agency, admins everywhere.

use crate::app::error::AppResult;
use crate::app::reach::filters_in_reach;
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::deadline::BoardStage;
use domain::issue::warning::Warning;
use domain::issue::Status;
use domain::permission::DeadlineScope;
use infra::db::deadlines::DeadlineFilter;
use infra::db::reference::Reference;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// An open deadline with what it is of: an issue's stage, or an elected project's milestone.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineItem {
    pub id: Uuid,
    pub stage: BoardStage,
    /// The issue whose stage it is; none for a milestone.
    pub issue_id: Option<Uuid>,
    /// The issue's number; none for a milestone.
    pub number: Option<String>,
    /// The issue's title, or the milestone's project's.
    pub title: Option<String>,
    /// The issue's status; none for a milestone.
    pub status: Option<Status>,
    /// The livelihood project whose milestone it is.
    pub project_id: Option<Uuid>,
    /// The milestone's own name.
    pub milestone: Option<String>,
    /// The issue stage's round (1, or 2 after a reopen); 1 for a milestone.
    pub round: i16,
    /// The agency that must meet it.
    pub agency_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    /// When it turns yellow.
    pub warn_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// 三色警示 now: green on track, yellow close, red overdue.
    pub warning: Warning,
}

/// What the board is narrowed to, as the query named it once checked.
#[derive(Debug, Default)]
pub struct Filters {
    pub warning: Option<Warning>,
    pub stage: Option<BoardStage>,
    /// A region's subtree or an agency: each must lie in the caller's reach.
    pub region: Option<String>,
    pub agency: Option<Uuid>,
    pub category: Option<String>,
}

/// The open deadlines `filters` select for the caller, soonest due first, `probe` of them after `after`: the
/// board's page, and the export's sheet.
///
/// # Errors
/// 403 for citizens and deputies; 404 naming a filter outside the caller's reach.
pub async fn select(
    state: &AppState,
    caller: &Caller,
    filters: Filters,
    after: Option<(DateTime<Utc>, Uuid)>,
    probe: i64,
) -> AppResult<Vec<DeadlineItem>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let rows = open(&mut conn, caller, &reference, filters, after, probe, state.clock.now()).await?;
    Ok(rows)
}

/// The export's rows (`most` + 1 at most: one more says the sheet was cut) and the reference data that names them.
///
/// # Errors
/// As `select`.
pub async fn sheet(
    state: &AppState,
    caller: &Caller,
    filters: Filters,
    most: i64,
) -> AppResult<(Vec<DeadlineItem>, std::sync::Arc<Reference>)> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let rows = open(
        &mut conn,
        caller,
        &reference,
        filters,
        None,
        most + 1,
        state.clock.now(),
    )
    .await?;
    Ok((rows, reference))
}

async fn open(
    conn: &mut infra::db::PgConn,
    caller: &Caller,
    reference: &Reference,
    filters: Filters,
    after: Option<(DateTime<Utc>, Uuid)>,
    probe: i64,
    now: DateTime<Utc>,
) -> AppResult<Vec<DeadlineItem>> {
    let scope = DeadlineScope::of(&caller.actor)?;
    // A filter outside the caller's reach is a 404; inside it, the scope still narrows what the query asks.
    let region_path = filters_in_reach(
        reference,
        &caller.actor,
        filters.region.as_deref(),
        filters.agency,
        None,
    )?;
    let (agency, path_prefix) = match &scope {
        DeadlineScope::Everywhere => (filters.agency, region_path),
        DeadlineScope::Subtree(root) => (
            filters.agency,
            Some(region_path.unwrap_or_else(|| root.as_str().to_owned())),
        ),
        DeadlineScope::Agency(own) => (Some(*own), region_path),
    };
    let filter = DeadlineFilter {
        agency,
        path_prefix,
        category: filters.category,
        stage: filters.stage.map(BoardStage::as_str),
        warning: filters.warning,
        after,
    };
    let rows = infra::db::deadlines::list_open(conn, &filter, now, probe).await?;
    Ok(rows
        .into_iter()
        .map(|w| {
            let d = w.deadline;
            let (issue_id, number, issue_title, status) = match w.issue {
                Some((id, number, title, status)) => (Some(id), Some(number), title, status.parse().ok()),
                None => (None, None, None, None),
            };
            let (project_id, project_title, milestone) = match w.milestone {
                Some((id, project, milestone)) => (Some(id), Some(project), Some(milestone)),
                None => (None, None, None),
            };
            DeadlineItem {
                id: d.id,
                stage: d.stage.parse().unwrap_or(BoardStage::Reply),
                issue_id,
                number,
                title: issue_title.or(project_title),
                status,
                project_id,
                milestone,
                round: d.round,
                agency_id: d.agency_id,
                started_at: d.started_at,
                warn_at: d.warn_at,
                warning: d.warning(now),
                due_at: d.due_at,
            }
        })
        .collect())
}
