//! `POST /projects/{id}/comments`: comment on an elected project (citizens).

use super::ProjectComment;
use crate::content::{self, Checked};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::handlers::projects::found;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::issue::report::Note;
use domain::permission::may_comment_on_project;
use infra::db::project_comments::CommentRow;
use infra::db::AsyncConnection;
use infra::wechat::TextScene;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    #[schema(max_length = 2000)]
    pub body: String,
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
