use super::command::{required_note, run_answering, CommandErrors};
use super::TimelineEvent;
use crate::app::error::AppResult;
use crate::app::issues::command::Answers;
use crate::content::{self, Checked};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use infra::wechat::TextScene;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    #[schema(max_length = 2000)]
    pub body: String,
    /// Internal comments are for deputies, staff and handlers; citizens never see them (nor write them).
    #[serde(default)]
    pub internal: bool,
}

/// Comment on an issue: anyone who sees it; public by default.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = Comment,
    responses((status = 201, body = TimelineEvent), CommandErrors))]
#[post("/issues/{id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Comment>,
) -> AppResult<HttpResponse> {
    let text = required_note(&body.body, "body")?;
    let checked = content::check(&state, &auth.actor, &text, TextScene::Comment, "body").await?;
    let command = Command::Comment {
        internal: body.internal,
        needs_review: checked == Checked::NeedsReview,
    };
    run_answering(&state, &auth, *id, command, Some(&text), Answers::Event).await
}
