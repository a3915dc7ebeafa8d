//! `POST /issues/{id}/extensions`: 延期申请.

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::issues::command::{required_note, run, CommandErrors};
use crate::handlers::issues::IssueView;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::deadline::{Span, Unit};
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    /// How much more time, 1 to 366.
    pub days: i64,
    /// `working_days` (default) or `days`.
    pub unit: Option<Unit>,
    #[schema(max_length = 2000)]
    pub reason: String,
}

/// 延期申请: the lead agency asks for more time, once per round; staff decide.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = ExtensionRequest,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/extensions")]
pub async fn request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<ExtensionRequest>,
) -> AppResult<HttpResponse> {
    let span = Span::parse("days", body.days, body.unit.unwrap_or(Unit::WorkingDays))?;
    let reason = required_note(&body.reason, "reason")?;
    let command = Command::RequestExtension {
        id: Uuid::now_v7(),
        span,
        reason: reason.clone(),
    };
    run(&state, &auth, *id, command, Some(&reason)).await
}
