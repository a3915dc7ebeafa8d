use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::stats::{CohortQuery, Hotspots};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::stats::CellSize;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct HotspotQuery {
    /// How many of each list, 1–50; default 10.
    pub limit: Option<i64>,
    /// A grid cell's side in metres, 100–10000; default 500.
    pub cell: Option<u32>,
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
    let hotspots = crate::app::stats::hotspots(&state, &auth, &cohort, limit, cell).await?;
    Ok(HttpResponse::Ok().json(hotspots))
}
