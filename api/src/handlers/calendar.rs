//! The working-day calendar: statutory holidays and make-up workdays by year. The service ships 2024–2026 from the
//! State Council's notices; admins put the next year when its notice comes out (each November), or correct one,
//! without a rebuild. Deadlines set from then on count with it.

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{get, put, web, HttpResponse};
use domain::issue::calendar::{CalendarDay, YearCalendar};
use domain::permission::may_replace_calendar;
use infra::db::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One year of the calendar. Days not listed are working days on weekdays and rest days on weekends.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    /// `shipped` (the service's data), `admin` (replaced through this API), or absent when the year is not loaded:
    /// then only weekends rest.
    pub source: Option<String>,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutCalendarYear {
    /// Every holiday (weekends inside a holiday too) and every make-up workday (调休上班, a Saturday or Sunday).
    pub days: Vec<CalendarDay>,
}

async fn answer(state: &AppState, year: i32) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (source, days) = infra::db::calendar::year(&mut conn, year).await?;
    Ok(HttpResponse::Ok().json(CalendarYear { year, source, days }))
}

/// A year's holidays and make-up workdays (anyone signed in).
#[utoipa::path(tag = "supervision", security(("bearer" = [])), params(("year" = i32, Path, minimum = 2000, maximum = 2100)),
    responses(
        (status = 200, body = CalendarYear),
        (status = 422, description = "The year is outside 2000–2100", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[get("/calendar/{year}")]
pub async fn get(state: web::Data<AppState>, _auth: AuthUser, year: web::Path<i32>) -> ApiResult<HttpResponse> {
    answer(&state, domain::issue::calendar::calendar_year(*year)?).await
}

/// Replace a year (admins). The days are checked first: all in that year, none twice, make-up workdays on weekends.
#[utoipa::path(tag = "supervision", security(("bearer" = [])), params(("year" = i32, Path, minimum = 2000, maximum = 2100)),
    request_body = PutCalendarYear,
    responses(
        (status = 200, body = CalendarYear),
    ))]
#[put("/calendar/{year}")]
pub async fn put(
    state: web::Data<AppState>,
    auth: AuthUser,
    year: web::Path<i32>,
    body: Json<PutCalendarYear>,
) -> ApiResult<HttpResponse> {
    may_replace_calendar(&auth.actor)?;
    let cal = YearCalendar::parse(*year, body.0.days)?;
    let by = auth.actor.user_id;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    conn.transaction(async |conn| {
        infra::db::calendar::replace_year(conn, &cal, by, state.clock.now()).await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    answer(&state, cal.year()).await
}
