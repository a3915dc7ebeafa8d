use super::{asked, CohortQuery, Reach};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::stats::CellSize;
use infra::db::stats::PlaceCount;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct HotspotQuery {
    /// How many of each list, 1–50; default 10.
    pub limit: Option<i64>,
    /// A grid cell's side in metres, 100–10000; default 500.
    pub cell: Option<u32>,
}

/// A category and how many issues it had.
#[derive(Debug, Serialize, ToSchema)]
pub struct HotCategory {
    pub code: Option<String>,
    pub name: Option<String>,
    pub reported: u64,
}

/// A place (the issues' own region: a village, community or township) and what was reported there most.
#[derive(Debug, Serialize, ToSchema)]
pub struct HotPlace {
    pub region_code: String,
    pub name: String,
    pub reported: u64,
    pub top_category: Option<String>,
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

/// Hot spots for choosing reception-day topics (数智化主题接待): the categories reported most, the places (village or
/// community) reporting most, and the busiest cells of a grid over the reported locations. Who may read them is as
/// for `/api/v1/stats/overview`.
#[utoipa::path(tag = "statistics", security(("bearer" = [])), params(HotspotQuery, CohortQuery),
    responses(
        (status = 200, body = Hotspots),
    ))]
#[get("/stats/hotspots")]
pub async fn hotspots(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<HotspotQuery>,
    cohort: Query<CohortQuery>,
) -> AppResult<HttpResponse> {
    let limit = query.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(AppError::new(ErrorCode::InvalidQuery, "limit must be 1 to 50").with_field("limit"));
    }
    let cell = match query.cell {
        None => CellSize::DEFAULT,
        Some(m) => {
            CellSize::parse(m).map_err(|e| AppError::new(ErrorCode::InvalidQuery, e.message).with_field("cell"))?
        }
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let asked = asked(&mut conn, &state, &auth.actor, &cohort).await?;
    let cohort = asked.cohort();
    let counts = infra::db::stats::places(&mut conn, &cohort).await?;
    let cells = infra::db::stats::cells(&mut conn, &cohort, cell.latitude_step(), limit).await?;
    let codes: Vec<String> = counts.iter().filter_map(|c| c.category_code.clone()).collect();
    let names = infra::db::stats::names(&mut conn, domain::stats::Breakdown::Categories, &codes).await?;
    let take = usize::try_from(limit).unwrap_or(10);
    Ok(HttpResponse::Ok().json(Hotspots {
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
    }))
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
