use super::{asked, CohortQuery, HotPlace, Reach};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::stats::{top_categories, top_places};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::stats::CellSize;
use serde::{Deserialize, Serialize};
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
