use super::command::{optional_note, required_note, run, CommandErrors};
use super::IssueView;
use crate::error::ApiResult;
use crate::extract::{AuthUser, Json};
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
) -> ApiResult<HttpResponse> {
    let span = Span::parse("days", body.days, body.unit.unwrap_or(Unit::WorkingDays))?;
    let reason = required_note(&body.reason, "reason")?;
    let command = Command::RequestExtension {
        id: Uuid::now_v7(),
        span,
        reason: reason.clone(),
    };
    run(&state, &auth, *id, command, Some(&reason)).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDecision {
    pub approve: bool,
    pub note: Option<String>,
}

/// Approve or refuse a pending extension (staff). Approval moves the reply deadline by the span asked for.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = ExtensionDecision,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/extensions/{extension_id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ExtensionDecision>,
) -> ApiResult<HttpResponse> {
    let (id, extension_id) = path.into_inner();
    let note = optional_note(body.note.as_deref(), "note")?;
    let approve = body.approve;
    let command = Command::DecideExtension {
        id: extension_id,
        approve,
        note: note.clone(),
    };
    run(&state, &auth, id, command, note.as_deref()).await
}
