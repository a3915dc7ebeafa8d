//! `POST /projects/{id}/comments`: comment on an elected project (citizens).

use super::ProjectComment;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
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
) -> AppResult<HttpResponse> {
    let answer = app::projects::comment(&state, auth.caller(), *id, &body.body, |written| {
        Answer::json(&auth, StatusCode::CREATED, None, &ProjectComment::of(written))
    })
    .await?;
    Ok(answer.respond())
}
