//! `PUT /projects/{id}/rating`: rate an elected project 1–5 stars (citizens who scanned the QR code at its site.

use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::projects::StarRatings;
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::scale::Stars;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateProject {
    /// 1 to 5.
    pub stars: i16,
}

/// Rate an elected project 1–5 stars (citizens who scanned the QR code at its site: signed in with its scene; others
/// get 403); rating again replaces the earlier rating. Answers the project's stars.
#[utoipa::path(operation_id = "rate_project", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = RateProject,
    responses((status = 200, body = StarRatings)))]
#[put("/projects/{id}/rating")]
pub async fn rate(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<RateProject>,
) -> AppResult<HttpResponse> {
    let stars = Stars::parse("stars", body.stars)?;
    let ratings = app::projects::rate(&state, auth.caller(), *id, stars).await?;
    Ok(HttpResponse::Ok().json(ratings))
}
