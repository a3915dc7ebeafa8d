//! The issue list as the caller may see it: the filters asked for, held to the caller's reach, over one read.

use super::view::{summary, IssueSummary};
use crate::app::error::AppResult;
use crate::app::reach::filters_in_reach;
use crate::app::Caller;
use crate::state::AppState;
use chrono::Duration;
use domain::issue::warning::Warning;
use domain::issue::NearbyFor;
use domain::issue::{IssueScope, Status};
use domain::organisation::geo::GeoPoint;
use infra::db::issues::IssueFilter;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// What the list is narrowed to, as the query named it once checked.
#[derive(Debug, Default)]
pub struct Filters {
    /// Any of these states; empty: every state.
    pub statuses: Vec<Status>,
    /// Only what this person reported.
    pub reporter: Option<Uuid>,
    /// A region's subtree, an agency's or a station's issues: each must lie in the caller's reach.
    pub region: Option<String>,
    pub agency: Option<Uuid>,
    pub station: Option<Uuid>,
    pub category: Option<String>,
    /// Words in the number, title or description.
    pub text: Option<String>,
    /// Deadlines in this colour now.
    pub warning: Option<Warning>,
}

/// The issues `filters` select for the caller, `probe` of them after `after`: the list's page, and the export's sheet.
///
/// # Errors
/// 404 naming a filter outside the caller's reach.
pub async fn select(
    state: &AppState,
    caller: &Caller,
    filters: Filters,
    after: Option<Uuid>,
    probe: i64,
) -> AppResult<Vec<IssueSummary>> {
    let scope = IssueScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let path_prefix = filters_in_reach(
        &reference,
        &caller.actor,
        filters.region.as_deref(),
        filters.agency,
        filters.station,
    )?;
    let now = state.clock.now();
    let filter = IssueFilter {
        warning: filters.warning.map(|w| (w, now)),
        statuses: filters.statuses,
        station: filters.station,
        agency: filters.agency,
        category: filters.category,
        path_prefix,
        reporter: filters.reporter,
        text: filters.text,
        reporters: scope.reporters_searched(),
        after,
        ..IssueFilter::default()
    };
    Ok(infra::db::issues::list(&mut conn, &scope, &filter, probe)
        .await?
        .into_iter()
        .map(|listed| summary(listed, now))
        .collect())
}

/// The export's rows (`most` + 1 at most: one more says the sheet was cut) and the categories' names by code.
///
/// # Errors
/// As `select`.
pub async fn sheet(
    state: &AppState,
    caller: &Caller,
    filters: Filters,
    most: i64,
) -> AppResult<(Vec<IssueSummary>, HashMap<String, String>)> {
    let items = select(state, caller, filters, None, most + 1).await?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok((items, infra::db::categories::names(&mut conn).await?))
}

/// A likely duplicate and how far away it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Nearby {
    pub distance_m: u32,
    pub issue: IssueSummary,
}

/// The caller's likely duplicates of an issue of `category` at `point`: within `radius` metres, open or closed within
/// `days`, the 20 nearest first.
///
/// # Errors
/// 403 for handlers.
pub async fn nearby(
    state: &AppState,
    caller: &Caller,
    category: &str,
    point: GeoPoint,
    radius: u32,
    days: u32,
) -> AppResult<Vec<Nearby>> {
    let among = NearbyFor::of(&caller.actor)?;
    let now = state.clock.now();
    let since = now - Duration::days(i64::from(days));
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = infra::db::issues::in_box(
        &mut conn,
        &among,
        category,
        point.bounding_box(f64::from(radius)),
        since,
    )
    .await?;
    let mut near: Vec<(f64, _)> = rows
        .into_iter()
        .filter_map(|(mut r, latitude, longitude)| {
            // Strangers read every report as an anonymous one: numbers in the words masked, before they are cut.
            r.row.anonymous |= among.masked();
            let other = GeoPoint::parse(latitude?, longitude?).ok()?;
            let d = point.distance_m(other);
            (d <= f64::from(radius)).then_some((d, r))
        })
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    near.truncate(20);
    // At most 5,000 m: the rounding fits a u32.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(near
        .into_iter()
        .map(|(d, listed)| Nearby {
            distance_m: d.round() as u32,
            issue: summary(listed, now),
        })
        .collect())
}
