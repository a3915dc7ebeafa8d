//! `POST /issues/{id}/follow-ups`: 回头看.

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::issues::command::{required_note, run, CommandErrors};
use crate::handlers::issues::IssueView;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    /// Did the problem come back? When it did and rounds are left, the issue reopens for routing again.
    pub came_back: bool,
    #[schema(max_length = 2000)]
    pub note: String,
}

/// 回头看: check a closed issue some time after. A problem that came back reopens it (a new round, routed again).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = FollowUpBody,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/follow-ups")]
pub async fn follow_up(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<FollowUpBody>,
) -> AppResult<HttpResponse> {
    let note = required_note(&body.note, "note")?;
    let came_back = body.came_back;
    run(&state, &auth, *id, Command::FollowUp { came_back }, Some(&note)).await
}
