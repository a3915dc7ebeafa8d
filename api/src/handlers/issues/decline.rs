use super::command::{required_note, run, CommandErrors};
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Why, in words the reporter will read.
    #[schema(max_length = 2000)]
    pub reason: String,
}

/// 不予受理: decline a submitted or accepted issue, with the reason (staff, station deputies).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = ReasonBody,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<ReasonBody>,
) -> AppResult<HttpResponse> {
    let reason = required_note(&body.reason, "reason")?;
    run(&state, &auth, *id, Command::Decline, Some(&reason)).await
}
