//! `POST /projects/{id}/comments/{comment_id}/review`: decide on a held comment (staff over the project).

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::handlers::projects::{found, role_over};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use infra::db::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

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
