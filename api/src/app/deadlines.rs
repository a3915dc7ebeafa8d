//! 督: the open deadlines a supervisor watches, with their colour — staff for their region, handlers for their
//! agency, admins everywhere.

use crate::app::error::AppResult;
use crate::app::issues::view::Deadline;
use crate::app::reach::filters_in_reach;
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::deadline::Stage;
use domain::issue::warning::Warning;
use domain::permission::DeadlineScope;
use infra::db::deadlines::DeadlineFilter;
use infra::db::reference::Reference;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// An open deadline with its issue.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineItem {
    pub issue_id: Uuid,
    pub number: String,
    pub title: Option<String>,
    pub status: String,
    #[serde(flatten)]
    pub deadline: Deadline,
}

/// What the board is narrowed to, as the query named it once checked.
#[derive(Debug, Default)]
pub struct Filters {
    pub warning: Option<Warning>,
    pub stage: Option<Stage>,
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
        stage: filters.stage,
        warning: filters.warning,
        after,
    };
    let rows = infra::db::deadlines::list_open(conn, &filter, now, probe).await?;
    Ok(rows
        .into_iter()
        .map(|(d, issue_id, number, title, status)| DeadlineItem {
            issue_id,
            number,
            title,
            status,
            deadline: Deadline::new(&d, now),
        })
        .collect())
}
