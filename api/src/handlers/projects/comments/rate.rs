//! `PUT /projects/{id}/rating`: rate an elected project 1–5 stars (citizens who scanned the QR code at its site.

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::projects::{found, StarRatings};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::identity::SceneTarget;
use domain::permission::{may_comment_on_project, may_rate_project};
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
    may_comment_on_project(&auth.actor)?;
    let stars = Stars::parse("stars", body.stars)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, *id).await?;
    let scanned =
        infra::db::scenes::has_scanned(&mut conn, auth.actor.user_id, SceneTarget::Project(project.project.id)).await?;
    may_rate_project(&auth.actor, scanned)?;
    infra::db::project_comments::rate(
        &mut conn,
        project.project.id,
        auth.actor.user_id,
        stars.get(),
        state.clock.now(),
    )
    .await?;
    let all = infra::db::project_comments::ratings(&mut conn, &[project.project.id]).await?;
    Ok(HttpResponse::Ok().json(StarRatings::of(all.get(&project.project.id).copied().unwrap_or((0, 0)))))
}
