//! 三维联评's three views: the deputy's self-review, the group assessment (staff), and the voters' stars.

pub mod group_assessment;
pub mod self_review;
pub mod voter_rating;

use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use domain::issue::calendar::calendar_year;
use domain::performance::{Assessment, ReviewKind};
use domain::scale::Percent;
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
    let review = crate::app::performance::score::Review {
        kind,
        year: calendar_year(body.year)?,
        score: Percent::parse("score", body.score)?,
        comment: domain::text::bounded("comment", &body.comment, 1, 2000)?,
    };
    crate::app::performance::score::review(state, auth, id, review).await
}
