//! `POST /projects/{id}/comments/{comment_id}/issue`: staff turn a citizen's comment into an issue.

use crate::app;
use crate::app::error::AppResult;
use crate::app::projects::ProjectComment;
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use uuid::Uuid;

/// Turn a citizen's published comment on an elected project into an issue of the 报议督评 loop (staff over the
/// project), once. The commenter is its reporter and follows it; the comment names the issue (`issue_id`) and the
/// issue's report event names the project and comment.
#[utoipa::path(operation_id = "turn_project_comment_into_issue", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project"), ("comment_id" = Uuid, Path, description = "A published comment")),
    responses((status = 201, body = ProjectComment),
        (status = 409, description = "The comment is an issue already", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/projects/{id}/comments/{comment_id}/issue")]
pub async fn issue(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let answer = app::projects::comments::turn_into_issue(&state, auth.caller(), *path, |c| {
        Answer::json(&auth, StatusCode::CREATED, None, &c)
    })
    .await?;
    Ok(answer.respond())
}
