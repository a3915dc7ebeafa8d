//! `GET /stats/{by}`: figures per agency, station, deputy, category or region; and the breakdown `trend` shares.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::stats::{BreakdownView, CohortQuery};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::stats::Breakdown;

/// Figures per agency (the lead agency now), station, deputy (the one reported to, or the deputy who reported),
/// category, or region (each region just below the one asked for; issues of that region itself count under its own
/// code), most reported first. `by` is `agencies`, `stations`, `deputies`, `categories` or `regions`. The figures
/// and who may read them are those of `/api/v1/stats/overview`.
#[utoipa::path(tag = "statistics", security(("bearer" = [])),
    params(("by" = String, Path, description = "agencies, stations, deputies, categories or regions"), CohortQuery),
    responses(
        (status = 200, body = BreakdownView),
    ))]
#[get("/stats/{by}")]
pub async fn breakdown(
    state: web::Data<AppState>,
    auth: AuthUser,
    by: web::Path<String>,
    query: Query<CohortQuery>,
) -> AppResult<HttpResponse> {
    let by = breakdown_of(&by)?;
    Ok(HttpResponse::Ok().json(crate::app::stats::breakdown(&state, &auth, by, &query).await?))
}

/// The breakdown a path names; `week` and `month` are the trend's.
///
/// # Errors
/// 404 naming `by` for anything but agencies, stations, deputies, categories or regions.
pub fn breakdown_of(by: &str) -> AppResult<Breakdown> {
    match by.parse::<Breakdown>() {
        Ok(b) if !matches!(b, Breakdown::Week | Breakdown::Month) => Ok(b),
        _ => Err(AppError::new(
            ErrorCode::NotFound,
            "statistics break down by agencies, stations, deputies, categories or regions",
        )
        .with_field("by")),
    }
}
