//! `PUT /calendar/{year}`: replace a year (admins).

use super::{answer, CalendarYear};
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::issue::calendar::{CalendarDay, YearCalendar};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutCalendarYear {
    /// Every holiday (weekends inside a holiday too) and every make-up workday (调休上班, a Saturday or Sunday).
    pub days: Vec<CalendarDay>,
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
) -> AppResult<HttpResponse> {
    let calendar = YearCalendar::parse(*year, body.0.days)?;
    app::organisation::replace_calendar_year(&state, auth.caller(), &calendar).await?;
    answer(&state, calendar.year()).await
}
