//! 评 as the use cases count it: which issues the caller asked about and may see (a region's subtree over a period,
//! or a deputy's stations, or a handler's agency), a breakdown's rows with their names, and where issues cluster —
//! shared by the statistics, their exports and the 民情专报 bulletins.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::organisation::region::{RegionCode, RegionPath};
use domain::permission::Actor;
use domain::stats::{Breakdown, CellSize, Figures};
use domain::stats::{Period, StatsScope};
use infra::db::reference::Reference;
use infra::db::stats::PlaceCount;
use infra::db::PgConn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Which issues: a region's subtree, reported between two days (Asia/Shanghai, both included).
#[derive(Debug, Deserialize, IntoParams)]
pub struct CohortQuery {
    /// A region code; default: the caller's region (staff) or everywhere they may see.
    pub region: Option<String>,
    /// First day, `YYYY-MM-DD`; default: the beginning.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`; default: today.
    pub to: Option<String>,
}

pub use crate::app::scenes::RegionRef;

/// What the figures count: the region, the period, and when they were taken.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reach {
    /// None: everywhere the caller may see.
    pub region: Option<RegionRef>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub generated_at: DateTime<Utc>,
}

/// The caller's scope over the cohort the query names, with what to call it.
pub struct Asked {
    pub scope: StatsScope,
    pub period: Period,
    pub reach: Reach,
}

impl Asked {
    #[must_use]
    pub fn cohort(&self) -> infra::db::stats::Cohort<'_> {
        infra::db::stats::Cohort {
            scope: &self.scope,
            period: self.period,
            now: self.reach.generated_at,
        }
    }
}

/// Parses the query and judges the caller's reach: 403 for citizens, 404 for a region that does not exist or lies
/// outside the caller's reach (as every list's filters answer).
pub async fn asked(conn: &mut PgConn, state: &AppState, actor: &Actor, query: &CohortQuery) -> AppResult<Asked> {
    let period = Period::parse(query.from.as_deref(), query.to.as_deref())
        .map_err(|e| AppError::new(ErrorCode::InvalidQuery, e.message.clone()).with_field(e.field))?;
    let asked = match query.region.as_deref() {
        None => None,
        Some(raw) => {
            let code = RegionCode::parse(raw).map_err(|e| AppError::from(e.at("region")))?;
            let row = infra::db::regions::find(conn, code.as_str())
                .await?
                .ok_or_else(|| AppError::not_found("region").with_field("region"))?;
            Some((
                RegionPath::from_stored(row.path),
                RegionRef {
                    code: row.code,
                    name: row.name,
                },
            ))
        }
    };
    let (asked_path, asked_ref) = asked.unzip();
    let scope = StatsScope::of(actor, asked_path).map_err(|d| match d {
        domain::Denied::Hidden => AppError::not_found("region").with_field("region"),
        forbidden @ domain::Denied::Forbidden(_) => forbidden.into(),
    })?;
    // Staff who asked for no region count their own, which is looked up for its name.
    let region = match (&scope.region, asked_ref) {
        (_, Some(named)) => Some(named),
        (None, None) => None,
        (Some(path), None) => infra::db::regions::find(conn, path.code()).await?.map(|r| RegionRef {
            code: r.code,
            name: r.name,
        }),
    };
    Ok(Asked {
        reach: Reach {
            region,
            from: period.from,
            to: period.to,
            generated_at: state.clock.now(),
        },
        scope,
        period,
    })
}

/// One row of a breakdown.
#[derive(Debug, Serialize, ToSchema)]
pub struct Row {
    /// The agency's, station's or deputy's id, the category or region code, or the week's first day
    /// (`YYYY-MM-DD`) or the month (`YYYY-MM`); null for issues without one (no category, never routed).
    pub key: Option<String>,
    pub name: Option<String>,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The breakdown's rows with their names: categories by the names they go by in the region asked about.
pub async fn rows(
    conn: &mut PgConn,
    cohort: &infra::db::stats::Cohort<'_>,
    by: Breakdown,
    reference: &Reference,
) -> AppResult<Vec<Row>> {
    let figures = infra::db::stats::figures(conn, cohort, Some(by)).await?;
    let keys: Vec<String> = figures.iter().filter_map(|(k, _)| k.clone()).collect();
    let names = infra::db::stats::names(conn, by, &keys).await?;
    let local = |key: &str| match (by, &cohort.scope.region) {
        (Breakdown::Categories, Some(region)) => reference.offered_at(region, key).map(str::to_owned),
        _ => None,
    };
    Ok(figures
        .into_iter()
        .map(|(key, figures)| Row {
            name: key.as_deref().and_then(|k| local(k).or_else(|| names.get(k).cloned())),
            key,
            figures,
        })
        .collect())
}

/// Categories by how many issues they had, most first (ties by code).
#[must_use]
pub fn top_categories(counts: &[PlaceCount], take: usize) -> Vec<(Option<String>, u64)> {
    let mut by: BTreeMap<Option<String>, u64> = BTreeMap::new();
    for c in counts {
        *by.entry(c.category_code.clone()).or_default() += c.reported;
    }
    let mut all: Vec<_> = by.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.truncate(take);
    all
}

/// Places by how many issues they reported, most first, each with its most reported category.
#[must_use]
pub fn top_places(counts: &[PlaceCount], take: usize) -> Vec<HotPlace> {
    let mut by: BTreeMap<&str, HotPlace> = BTreeMap::new();
    // `counts` come most reported first, so a place's first row is its top category.
    for c in counts {
        let place = by.entry(&c.region_code).or_insert_with(|| HotPlace {
            region_code: c.region_code.clone(),
            name: c.name.clone(),
            reported: 0,
            top_category: c.category_code.clone(),
        });
        place.reported += c.reported;
    }
    let mut all: Vec<_> = by.into_values().collect();
    all.sort_by(|a, b| {
        b.reported
            .cmp(&a.reported)
            .then_with(|| a.region_code.cmp(&b.region_code))
    });
    all.truncate(take);
    all
}

/// A place (the issues' own region: a village, community or township) and what was reported there most.
#[derive(Debug, Serialize, ToSchema)]
pub struct HotPlace {
    pub region_code: String,
    pub name: String,
    pub reported: u64,
    pub top_category: Option<String>,
}

/// A cohort's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    #[serde(flatten)]
    pub reach: Reach,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The figures of the issues `query` names, as the caller may see them.
///
/// # Errors
/// As `asked`.
pub async fn overview(state: &AppState, caller: &Caller, query: &CohortQuery) -> AppResult<Overview> {
    let mut conn = crate::app::reads::conn(state, Some(caller.actor.user_id)).await?;
    let asked = asked(&mut conn, state, &caller.actor, query).await?;
    let figures = infra::db::stats::overview(&mut conn, &asked.cohort()).await?;
    Ok(Overview {
        reach: asked.reach,
        figures,
    })
}

/// Figures per key.
#[derive(Debug, Serialize, ToSchema)]
pub struct BreakdownView {
    pub by: Breakdown,
    #[serde(flatten)]
    pub reach: Reach,
    pub rows: Vec<Row>,
}

/// A breakdown `by` of the issues `query` names, as the caller may see them (the trend asks by week or month).
///
/// # Errors
/// As `asked`.
pub async fn breakdown(
    state: &AppState,
    caller: &Caller,
    by: Breakdown,
    query: &CohortQuery,
) -> AppResult<BreakdownView> {
    let mut conn = crate::app::reads::conn(state, Some(caller.actor.user_id)).await?;
    let asked = asked(&mut conn, state, &caller.actor, query).await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let rows = rows(&mut conn, &asked.cohort(), by, &reference).await?;
    Ok(BreakdownView {
        by,
        reach: asked.reach,
        rows,
    })
}

/// A category and how many issues it had.
#[derive(Debug, Serialize, ToSchema)]
pub struct HotCategory {
    pub code: Option<String>,
    pub name: Option<String>,
    pub reported: u64,
}

/// A grid cell: its centre, how many issues, and the category reported most there.
#[derive(Debug, Serialize, ToSchema)]
pub struct HotCell {
    pub latitude: f64,
    pub longitude: f64,
    pub reported: u64,
    pub top_category: Option<String>,
}

/// Where a period's issues cluster.
#[derive(Debug, Serialize, ToSchema)]
pub struct Hotspots {
    #[serde(flatten)]
    pub reach: Reach,
    pub cell_metres: f64,
    pub categories: Vec<HotCategory>,
    pub places: Vec<HotPlace>,
    pub cells: Vec<HotCell>,
}

/// Where the issues `query` names cluster: `limit` (1–50) of each list, over a grid of `cell`.
///
/// # Errors
/// As `asked`.
pub async fn hotspots(
    state: &AppState,
    caller: &Caller,
    query: &CohortQuery,
    limit: i64,
    cell: CellSize,
) -> AppResult<Hotspots> {
    let mut conn = crate::app::reads::conn(state, Some(caller.actor.user_id)).await?;
    let asked = asked(&mut conn, state, &caller.actor, query).await?;
    let cohort = asked.cohort();
    let counts = infra::db::stats::places(&mut conn, &cohort).await?;
    let cells = infra::db::stats::cells(&mut conn, &cohort, cell.latitude_step(), limit).await?;
    let codes: Vec<String> = counts.iter().filter_map(|c| c.category_code.clone()).collect();
    let names = infra::db::stats::names(&mut conn, domain::stats::Breakdown::Categories, &codes).await?;
    let take = usize::try_from(limit).unwrap_or(10);
    Ok(Hotspots {
        reach: asked.reach,
        cell_metres: cell.metres(),
        categories: top_categories(&counts, take)
            .into_iter()
            .map(|(code, reported)| HotCategory {
                name: code.as_ref().and_then(|c| names.get(c).cloned()),
                code,
                reported,
            })
            .collect(),
        places: top_places(&counts, take),
        cells: cells
            .into_iter()
            .map(|c| HotCell {
                latitude: c.latitude,
                longitude: c.longitude,
                reported: c.reported,
                top_category: c.top_category,
            })
            .collect(),
    })
}
