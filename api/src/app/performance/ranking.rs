//! The year's ranking of deputies by points, then by 三维联评.

use crate::app::error::{AppError, AppResult};
use crate::app::performance::score::count;
use crate::app::performance::{scheme_at, year_of};
use crate::app::reach::list_prefix;
use crate::app::Caller;
use crate::state::AppState;
use domain::performance::Scheme;
use domain::permission::RankingReach;
use infra::db::users::UserFilter;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// The most deputies a ranking reads: a province's people's congresses at every level hold a few thousand.
const DEPUTIES: i64 = 5000;

#[derive(Debug, Serialize, ToSchema)]
pub struct Ranked {
    /// 1 first; deputies with equal points and assessment share a place.
    pub rank: u32,
    pub deputy_id: Uuid,
    pub name: String,
    pub region_code: String,
    pub total: u32,
    /// 三维联评, once all three views are in.
    pub combined: Option<f64>,
}

/// The ranking of the deputies in `region`'s subtree (default: the caller's) for `year` (default: this year); a
/// deputy gets their own row only.
///
/// # Errors
/// 403 for citizens and handlers, and for a deputy naming a region; 404 for a region outside the caller's reach;
/// 422 for a year outside 2000–2100.
pub async fn ranking(
    state: &AppState,
    caller: &Caller,
    region: Option<&str>,
    year: Option<i32>,
) -> AppResult<Vec<Ranked>> {
    let mut reach = RankingReach::of(&caller.actor)?;
    if region.is_some() {
        reach = reach
            .naming_region()
            .map_err(|d| AppError::from(d).with_field("region"))?;
    }
    let (year, start, end) = year_of(year, state.clock.now())?;
    let mut conn = crate::app::reads::conn(state, Some(caller.actor.user_id)).await?;
    let (prefix, only) = match reach {
        RankingReach::All(scope) => (list_prefix(&mut conn, &scope, region).await?, None),
        RankingReach::Own { deputy, among } => (Some(among.as_str().to_owned()), Some(deputy)),
    };
    let filter = UserFilter {
        path_prefix: prefix.as_deref(),
        role: Some("deputy"),
        ..UserFilter::default()
    };
    let deputies = infra::db::users::list(&mut conn, &filter, DEPUTIES).await?;
    let mut schemes: HashMap<String, Scheme> = HashMap::new();
    for d in &deputies {
        if let (Some(path), Some(code)) = (&d.region_path, &d.row.region_code) {
            if !schemes.contains_key(code) {
                let (_, scheme) = scheme_at(&mut conn, path).await?;
                schemes.insert(code.clone(), scheme);
            }
        }
    }
    let scored: Vec<(Uuid, &Scheme)> = deputies
        .iter()
        .filter_map(|d| Some((d.row.id, schemes.get(d.row.region_code.as_ref()?)?)))
        .collect();
    let mut counted = count(&mut conn, &scored, year, (start, end)).await?;
    let mut rows: Vec<Ranked> = deputies
        .into_iter()
        .filter_map(|d| {
            let c = counted.remove(&d.row.id)?;
            Some(Ranked {
                rank: 0,
                deputy_id: d.row.id,
                name: d.row.name,
                region_code: d.row.region_code.unwrap_or_default(),
                total: c.total,
                combined: c.assessment.combined,
            })
        })
        .collect();
    let order = |a: &Ranked, b: &Ranked| {
        b.total
            .cmp(&a.total)
            .then(b.combined.unwrap_or(-1.0).total_cmp(&a.combined.unwrap_or(-1.0)))
    };
    rows.sort_by(|a, b| order(a, b).then(a.name.cmp(&b.name)));
    for i in 0..rows.len() {
        rows[i].rank = if i > 0 && order(&rows[i - 1], &rows[i]).is_eq() {
            rows[i - 1].rank
        } else {
            u32::try_from(i + 1).unwrap_or(u32::MAX)
        };
    }
    if let Some(deputy) = only {
        rows.retain(|r| r.deputy_id == deputy);
    }
    Ok(rows)
}
