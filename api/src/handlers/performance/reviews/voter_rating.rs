//! `PUT /deputies/{id}/performance/voter-rating`: a voter rates the deputy they follow for a year (1–5 stars).

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::performance::read::YearQuery;
use crate::handlers::performance::{deputy, year_of};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::identity::SceneTarget;
use domain::permission::{may_keep_deputies, may_rate_deputy};
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
    may_keep_deputies(&auth.actor)?;
    let now = state.clock.now();
    let (year, _, _) = year_of(q.year, now)?;
    let stars = Stars::parse("stars", body.stars)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, *id).await?;
    let voter = auth.actor.user_id;
    let scanned = infra::db::scenes::has_scanned(&mut conn, voter, SceneTarget::Deputy(d.id)).await?;
    let since = infra::db::voters::following_since(&mut conn, d.id, voter).await?;
    may_rate_deputy(&auth.actor, scanned, since, now, state.config.voter_rating_min_follow)?;
    infra::db::performance::rate_deputy(
        &mut conn,
        d.id,
        year,
        auth.actor.user_id,
        stars.get(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
