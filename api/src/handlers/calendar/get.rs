//! `GET /calendar/{year}`: a year's holidays and make-up workdays (anyone signed in).

use super::{answer, CalendarYear};
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// A year's holidays and make-up workdays (anyone signed in).
#[utoipa::path(tag = "supervision", security(("bearer" = [])), params(("year" = i32, Path, minimum = 2000, maximum = 2100)),
    responses(
        (status = 200, body = CalendarYear),
        (status = 422, description = "The year is outside 2000–2100", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
#[get("/calendar/{year}")]
pub async fn get(state: web::Data<AppState>, _auth: AuthUser, year: web::Path<i32>) -> AppResult<HttpResponse> {
    answer(&state, domain::issue::calendar::calendar_year(*year)?).await
}
