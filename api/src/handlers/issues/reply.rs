use super::command::{required_note, run, CommandErrors};
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::{Command, ReplyCategory};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// A solved or adopted; B being solved or planned; C cannot be solved now (say why in `reply`).
    pub category: ReplyCategory,
    /// The reply the reporter reads.
    #[schema(max_length = 2000)]
    pub reply: String,
}

/// 答复: the lead agency replies for all agencies; the rating deadline starts.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = Reply,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/reply")]
pub async fn reply(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Reply>,
) -> AppResult<HttpResponse> {
    let text = required_note(&body.reply, "reply")?;
    let category = body.category;
    run(&state, &auth, *id, Command::Reply { category }, Some(&text)).await
}
