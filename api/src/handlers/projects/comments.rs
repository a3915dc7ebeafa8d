//! 星级评价: what citizens say of an elected project — comments, shown on its public page, and 1–5 stars, one rating
//! a citizen (rating again replaces it).

use super::{found, role_over, StarRatings};
use crate::content::{self, Checked};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::identity::SceneTarget;
use domain::issue::report::Note;
use domain::permission::{may_comment_on_project, may_rate_project};
use domain::scale::Stars;
use infra::db::project_comments::CommentRow;
use infra::db::AsyncConnection;
use infra::wechat::TextScene;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub body: String,
}

/// A comment as its page shows it: the author's name masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectComment {
    pub id: Uuid,
    #[schema(example = "王*")]
    pub author: String,
    pub body: String,
    /// WeChat's content check could not judge it: it shows on the public page once a person has looked.
    pub held_for_review: bool,
    pub created_at: DateTime<Utc>,
}

impl ProjectComment {
    #[must_use]
    pub fn of((row, name): (CommentRow, String)) -> Self {
        let mut chars = name.chars();
        let author = chars.next().map_or_else(String::new, |c| format!("{c}*"));
        ProjectComment {
            id: row.id,
            author,
            body: row.body,
            held_for_review: row.needs_review,
            created_at: row.created_at,
        }
    }
}

/// Comment on an elected project (citizens). WeChat's content check refuses a risky text (422 `content_risky`); one
/// it cannot judge is kept but held from the public page for a person to look at.
#[utoipa::path(operation_id = "comment_on_project", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = NewComment,
    responses((status = 201, body = ProjectComment)))]
#[post("/projects/{id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<NewComment>,
) -> ApiResult<HttpResponse> {
    may_comment_on_project(&auth.actor)?;
    let text = Note::parse(&body.body).map_err(|e| e.at("body"))?;
    // What citizens write on a public page passes WeChat's content check first, as their reports do.
    let checked = content::check(&state, &auth.actor, text.as_str(), TextScene::Comment, "body").await?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, *id).await?;
    let row = CommentRow {
        id: Uuid::now_v7(),
        project_id: project.project.id,
        author_id: auth.actor.user_id,
        body: text.as_str().to_owned(),
        needs_review: checked == Checked::NeedsReview,
        created_at: state.clock.now(),
    };
    let answer = conn
        .transaction(async |conn| {
            infra::db::project_comments::insert(conn, &row).await?;
            let name = infra::db::users::find(conn, auth.actor.user_id)
                .await?
                .map(|u| u.row.name)
                .unwrap_or_default();
            let answer = Answer::json(&auth, StatusCode::CREATED, None, &ProjectComment::of((row, name)))?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}

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
) -> ApiResult<HttpResponse> {
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

/// Comments held for review on a project, oldest first (staff over the project).
#[utoipa::path(operation_id = "held_project_comments", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    responses((status = 200, body = Vec<ProjectComment>)))]
#[get("/projects/{id}/comments/held")]
pub async fn held(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, *id).await?;
    role_over(&auth.actor, &project)?.may_review_comments()?;
    let rows = infra::db::project_comments::held(&mut conn, project.project.id).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ProjectComment::of).collect::<Vec<_>>()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentReview {
    /// True: it shows on the project's page. False: it is deleted.
    pub publish: bool,
}

/// Decide on a held comment (staff over the project): publish it or delete it.
#[utoipa::path(operation_id = "review_project_comment", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project"), ("comment_id" = Uuid, Path, description = "A held comment")),
    request_body = CommentReview,
    responses((status = 204, description = "Decided")))]
#[post("/projects/{id}/comments/{comment_id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<CommentReview>,
) -> ApiResult<HttpResponse> {
    let (id, held_id) = *path;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, id).await?;
    role_over(&auth.actor, &project)?.may_review_comments()?;
    let answer = conn
        .transaction(async |conn| {
            if !infra::db::project_comments::decide(conn, project.project.id, held_id, body.publish).await? {
                return Err(ApiError::not_found("held comment"));
            }
            let answer = Answer::empty(&auth);
            answer.keep(conn).await?;
            Ok(answer)
        })
        .await?;
    Ok(answer.respond())
}
