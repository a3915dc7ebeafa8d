//! The working-day calendar: statutory holidays and make-up workdays by year. The service ships 2024–2026 from the
//! State Council's notices; admins put the next year when its notice comes out (each November), or correct one,
//! without a rebuild. Deadlines set from then on count with it.

pub mod get;
pub mod put;

use crate::app::error::AppResult;
use crate::state::AppState;
use actix_web::HttpResponse;
use domain::issue::calendar::CalendarDay;
use serde::Serialize;
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

async fn answer(state: &AppState, year: i32) -> AppResult<HttpResponse> {
    let (source, days) = crate::app::organisation::calendar_year(state, year).await?;
    Ok(HttpResponse::Ok().json(CalendarYear { year, source, days }))
}
