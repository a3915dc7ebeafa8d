//! `PUT /calendar/{year}`: replace a year (admins).

use super::{answer, CalendarYear};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::issue::calendar::{CalendarDay, YearCalendar};
use domain::permission::may_replace_calendar;
use infra::db::AsyncConnection;
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
