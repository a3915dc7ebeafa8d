//! `POST /projects/{id}/comments/{comment_id}/answer`: the responsible agency answers a citizen's comment.

use crate::app;
use crate::app::error::AppResult;
use crate::app::projects::ProjectComment;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::project::CommentAnswer;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerComment {
    #[schema(example = "已安排施工队下周进场，预计月底完工。", max_length = 1000)]
    pub answer: String,
}

/// Answer a citizen's published comment on an elected project (the responsible agency's handlers); it shows under the
/// comment on the public page, and the commenter is told. Answering again replaces it.
#[utoipa::path(operation_id = "answer_project_comment", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project"), ("comment_id" = Uuid, Path, description = "A published comment")),
    request_body = AnswerComment,
    responses((status = 200, body = ProjectComment)))]
#[post("/projects/{id}/comments/{comment_id}/answer")]
pub async fn answer(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<AnswerComment>,
) -> AppResult<HttpResponse> {
    let text = CommentAnswer::parse(&body.answer)?;
    let answer = app::projects::answer_comment(&state, auth.caller(), *path, &text, |c| {
        Answer::json(&auth, StatusCode::OK, None, &c)
    })
    .await?;
    Ok(answer.respond())
}
