//! `POST /projects/{id}/comments/{comment_id}/review`: decide on a held comment (staff over the project).

use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
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
) -> AppResult<HttpResponse> {
    let answer = app::projects::review_comment(&state, auth.caller(), *path, body.publish, |()| {
        Ok(Answer::empty(&auth))
    })
    .await?;
    Ok(answer.respond())
}
