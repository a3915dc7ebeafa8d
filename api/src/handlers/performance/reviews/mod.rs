//! 三维联评's three views: the deputy's self-review, the group assessment (staff), and the voters' stars.

pub mod group_assessment;
pub mod self_review;
pub mod voter_rating;

use super::{assessment_of, deputy, scheme_at};
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use domain::issue::calendar::calendar_year;
use domain::performance::{Assessment, ReviewKind};
use domain::permission::{may_assess, may_review_self};
use domain::scale::Percent;
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
    #[schema(max_length = 2000)]
    pub comment: String,
}

async fn write(state: &AppState, auth: &AuthUser, id: Uuid, body: Review, kind: ReviewKind) -> AppResult<Assessment> {
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
