//! `PUT /deputies/{id}/performance/voter-rating`: a voter rates the deputy they follow for a year (1–5 stars).

use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::performance::read::YearQuery;
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::scale::Stars;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoterRating {
    /// 1 to 5.
    pub stars: i16,
}

/// A voter rates the deputy they follow for a year (1–5 stars); rating again replaces it. Only citizens who scanned
/// the deputy's card and have followed them for `MINSHENG_VOTER_RATING_MIN_FOLLOW_DAYS` (30 by default) rate; others
/// get 403.
#[utoipa::path(tag = "performance", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy"), YearQuery),
    request_body = VoterRating,
    responses((status = 204, description = "Rated"),
        (status = 422, description = "The year is outside 2000–2100", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[put("/deputies/{id}/performance/voter-rating")]
pub async fn voter_rating(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: crate::extract::params::Query<YearQuery>,
    body: Json<VoterRating>,
) -> AppResult<HttpResponse> {
    let stars = Stars::parse("stars", body.stars)?;
    app::voters::rate(&state, auth.caller(), *id, q.year, stars).await?;
    Ok(HttpResponse::NoContent().finish())
}
