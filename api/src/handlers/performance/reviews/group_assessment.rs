//! `PUT /deputies/{id}/performance/group-assessment`: the group assessment of a deputy for a year (staff whose subtree holds the deputy).

use super::{write, Review};
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::performance::{Assessment, ReviewKind};
use uuid::Uuid;

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
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(write(&state, &auth, *id, body.0, ReviewKind::Group).await?))
}
