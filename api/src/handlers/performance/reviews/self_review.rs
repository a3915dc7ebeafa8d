//! `PUT /deputies/{id}/performance/self-review`: the deputy's self-review for a year (the deputy only).

use super::{write, Review};
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::performance::{Assessment, ReviewKind};
use uuid::Uuid;

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
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(write(&state, &auth, *id, body.0, ReviewKind::SelfReview).await?))
}
