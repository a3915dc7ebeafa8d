//! `GET /stats/trend`: the figures per reporting week or month.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::stats::{BreakdownView, CohortQuery};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::stats::Interval;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct TrendQuery {
    /// `week` (weeks start on Monday) or `month`.
    pub interval: Option<String>,
}

/// The figures per reporting week or month: how many issues each reported, and what became of them.
#[utoipa::path(tag = "statistics", security(("bearer" = [])), params(TrendQuery, CohortQuery),
    responses(
        (status = 200, body = BreakdownView),
    ))]
#[get("/stats/trend")]
pub async fn trend(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<TrendQuery>,
    cohort: Query<CohortQuery>,
) -> AppResult<HttpResponse> {
    let interval = match query.interval.as_deref() {
        None => Interval::Month,
        Some(raw) => raw.parse::<Interval>().map_err(|_| {
            AppError::new(ErrorCode::InvalidQuery, "interval must be week or month").with_field("interval")
        })?,
    };
    Ok(HttpResponse::Ok().json(crate::app::stats::breakdown(&state, &auth, interval.into(), &cohort).await?))
}
