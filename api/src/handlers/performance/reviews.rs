//! 三维联评's three views: the deputy's self-review, the group assessment (staff), and the voters' stars.

use super::read::YearQuery;
use super::{deputy, scheme_at, year_of};
use crate::error::ApiResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::performance::{assess, Assessment};
use domain::permission::{may_assess, may_follow_deputy, may_review_self};
use domain::Invalid;
use infra::db::performance::ReviewRow;
use infra::db::PgConn;
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

/// The year's 三维联评 of a deputy as it stands.
async fn assessment_of(conn: &mut PgConn, d: &super::Deputy, year: i32) -> ApiResult<Assessment> {
    let (_, scheme) = scheme_at(conn, &d.region).await?;
    let reviews = infra::db::performance::reviews(conn, &[d.id], year).await?;
    let stars = infra::db::performance::voter_stars(conn, &[d.id], year).await?;
    let view = |kind: &str| {
        reviews
            .iter()
            .find(|r| r.kind == kind)
            .and_then(|r| u32::try_from(r.score).ok())
    };
    let stars: Vec<u32> = stars.iter().filter_map(|(_, s)| u32::try_from(*s).ok()).collect();
    Ok(assess(scheme.weights(), view("self"), &stars, view("group")))
}

async fn write(state: &AppState, auth: &AuthUser, id: Uuid, body: Review, kind: &str) -> ApiResult<Assessment> {
    super::year_of(Some(body.year), state.clock.now())?;
    if !(0..=100).contains(&body.score) {
        return Err(Invalid::new("score", "out_of_range", "0 to 100").into());
    }
    let comment = domain::text::bounded("comment", &body.comment, 1, 2000)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, id).await?;
    if kind == "self" {
        may_review_self(&auth.actor, d.id)?;
    } else {
        may_assess(&auth.actor, d.id, &d.region)?;
    }
    let row = ReviewRow {
        deputy_id: d.id,
        year: body.year,
        kind: kind.to_owned(),
        score: body.score,
        comment,
        author_id: auth.actor.user_id,
        at: state.clock.now(),
    };
    infra::db::performance::put_review(&mut conn, &row).await?;
    assessment_of(&mut conn, &d, body.year).await
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
) -> ApiResult<web::Json<Assessment>> {
    Ok(web::Json(write(&state, &auth, *id, body.0, "self").await?))
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
) -> ApiResult<web::Json<Assessment>> {
    Ok(web::Json(write(&state, &auth, *id, body.0, "group").await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoterRating {
    /// 1 to 5.
    pub stars: i16,
}

/// A voter rates the deputy they follow for a year (1–5 stars); rating again replaces it.
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
    may_follow_deputy(&auth.actor)?;
    let (year, _, _) = year_of(q.year, state.clock.now())?;
    if !(1..=5).contains(&body.stars) {
        return Err(Invalid::new("stars", "out_of_range", "1 to 5 stars").into());
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, *id).await?;
    if !infra::db::voters::follows(&mut conn, d.id, auth.actor.user_id).await? {
        return Err(domain::Denied::Forbidden("only the deputy's voters rate them: follow the deputy first").into());
    }
    infra::db::performance::rate_deputy(&mut conn, d.id, year, auth.actor.user_id, body.stars, state.clock.now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
