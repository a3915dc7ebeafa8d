use super::command::{optional_note, run, CommandErrors};
use super::IssueView;
use crate::app::error::AppResult;
use crate::content;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::{Command, Rating};
use infra::wechat::TextScene;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateIssue {
    pub rating: Rating,
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

/// 评: rate the reply (the reporter and the deputies involved, once per round). The reporter's rating decides:
/// satisfied or basically satisfied closes the issue; dissatisfied reopens it while rounds remain.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = RateIssue,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/ratings")]
pub async fn rate(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<RateIssue>,
) -> AppResult<HttpResponse> {
    let comment = optional_note(body.comment.as_deref(), "comment")?;
    if let Some(c) = &comment {
        content::check(&state, &auth.actor, c, TextScene::Comment, "comment").await?;
    }
    let rating = body.rating;
    run(
        &state,
        &auth,
        *id,
        Command::Rate {
            rating,
            comment: comment.clone(),
        },
        comment.as_deref(),
    )
    .await
}
