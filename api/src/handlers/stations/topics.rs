use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::topics::{Bounds, ReceptionTopics};
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::Days;
use domain::issue::deadline::SHANGHAI;
use domain::stats::period::Period;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TopicQuery {
    /// First day, `YYYY-MM-DD`; default: 90 days before `to`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`; default: today.
    pub to: Option<String>,
    /// How many topics, 1–20; default 5.
    pub limit: Option<i64>,
}

/// 数智化主题接待: topics for the station's next reception day, from what its area (the station's region and below)
/// reported in the period — the categories and places reported most, weighted by what is unresolved and what reporters
/// were dissatisfied with, each with its counts and examples. Staff over the station, the deputies who serve there,
/// admins.
#[utoipa::path(tag = "stations", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The station"), TopicQuery),
    responses((status = 200, body = ReceptionTopics),
        (status = 400, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/stations/{id}/topics")]
pub async fn topics(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: Query<TopicQuery>,
) -> AppResult<HttpResponse> {
    let take = q.limit.unwrap_or(5);
    if !(1..=20).contains(&take) {
        return Err(AppError::new(ErrorCode::InvalidQuery, "limit must be 1 to 20").with_field("limit"));
    }
    let period = Period::parse(q.from.as_deref(), q.to.as_deref())
        .map_err(|e| AppError::new(ErrorCode::InvalidQuery, e.message.clone()).with_field(e.field))?;
    let now = state.clock.now();
    let to = period.to.unwrap_or_else(|| now.with_timezone(&SHANGHAI).date_naive());
    let from = period
        .from
        .unwrap_or_else(|| to.checked_sub_days(Days::new(90)).unwrap_or(to));
    let bounds = Period {
        from: Some(from),
        to: Some(to),
    };
    let (Some(start), Some(end)) = (bounds.start(), bounds.end()) else {
        return Err(AppError::new(ErrorCode::InvalidQuery, "the period is out of range").with_field("from"));
    };
    let span = Bounds { from, to, start, end };
    let take = usize::try_from(take).unwrap_or(5);
    Ok(HttpResponse::Ok().json(crate::app::topics::topics(&state, &auth, *id, span, take).await?))
}
