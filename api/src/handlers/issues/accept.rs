use super::command::{optional_note, run, CommandErrors};
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use domain::organisation::region::RegionLevel;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    /// 分层分类: the level that should handle it.
    pub level: Option<RegionLevel>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// 议: take up a submitted issue (staff of its region, deputies of its station).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = Accept,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Accept>,
) -> AppResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    let level = body.level;
    run(&state, &auth, *id, Command::Accept { level }, note.as_deref()).await
}
