//! 三维联评's three views: the deputy's self-review, the group assessment (staff), and the voters' stars.

use super::read::YearQuery;
use super::{assessment_of, deputy, scheme_at, year_of};
use crate::error::ApiResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::identity::SceneTarget;
use domain::issue::calendar::calendar_year;
use domain::performance::{Assessment, ReviewKind};
use domain::permission::{may_assess, may_keep_deputies, may_rate_deputy, may_review_self};
use domain::scale::{Percent, Stars};
use infra::db::performance::ReviewRow;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// 0 to 100.
    pub score: i16,
    pub comment: String,
}

async fn write(state: &AppState, auth: &AuthUser, id: Uuid, body: Review, kind: ReviewKind) -> ApiResult<Assessment> {
    let year = calendar_year(body.year)?;
    let score = Percent::parse("score", body.score)?;
    let comment = domain::text::bounded("comment", &body.comment, 1, 2000)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, id).await?;
    match kind {
        ReviewKind::SelfReview => may_review_self(&auth.actor, d.id)?,
        ReviewKind::Group => may_assess(&auth.actor, d.id, &d.region)?,
    }
    let row = ReviewRow {
        deputy_id: d.id,
        year,
        kind: kind.as_str().to_owned(),
        score: score.get(),
        comment,
        author_id: auth.actor.user_id,
        at: state.clock.now(),
    };
    infra::db::performance::put_review(&mut conn, &row).await?;
    // The year's 三维联评 as it now stands.
    let (_, scheme) = scheme_at(&mut conn, &d.region).await?;
    let reviews = infra::db::performance::reviews(&mut conn, &[d.id], year).await?;
    let stars = infra::db::performance::voter_stars(&mut conn, &[d.id], year).await?;
    Ok(assessment_of(&scheme, d.id, &reviews, &stars))
}

/// The deputy's self-review for a year (the deputy only); writing again replaces it. Answers the year's 三维联评.
#[utoipa::path(tag = "performance", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy")),
    request_body = Review,
    responses((status = 200, body = Assessment)))]
#[put("/deputies/{id}/performance/self-review")]
pub async fn self_review(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Review>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(write(&state, &auth, *id, body.0, ReviewKind::SelfReview).await?))
}

/// The group assessment of a deputy for a year (staff whose subtree holds the deputy); writing again replaces it.
#[utoipa::path(tag = "performance", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy")),
    request_body = Review,
    responses((status = 200, body = Assessment)))]
#[put("/deputies/{id}/performance/group-assessment")]
pub async fn group_assessment(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Review>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(write(&state, &auth, *id, body.0, ReviewKind::Group).await?))
}

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
        (status = 422, description = "The year is outside 2000–2100", body = crate::error::Problem, content_type = "application/problem+json")))]
#[put("/deputies/{id}/performance/voter-rating")]
pub async fn voter_rating(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: crate::extract::params::Query<YearQuery>,
    body: Json<VoterRating>,
) -> ApiResult<HttpResponse> {
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
