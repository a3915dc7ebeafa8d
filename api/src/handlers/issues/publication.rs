//! 结果网上评: staff keep an issue out of the public results, with a reason, or put it back.

use super::command::{run, CommandErrors};
use super::decline::ReasonBody;
use super::IssueView;
use crate::error::ApiResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use domain::publication::WithholdReason;
use uuid::Uuid;

/// Withhold an issue from the public results (`/api/v1/public/issues`), with the reason (staff of the issue's
/// region). The reason is an internal timeline event: citizens do not read it.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = ReasonBody,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/withhold")]
pub async fn withhold(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<ReasonBody>,
) -> ApiResult<HttpResponse> {
    let reason = WithholdReason::parse(&body.reason)?.into_inner();
    let command = Command::Withhold { reason: reason.clone() };
    run(&state, &auth, *id, command, Some(&reason)).await
}

/// Show a withheld issue in the public results again (staff of the issue's region).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])),
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/publish")]
pub async fn publish(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    run(&state, &auth, *id, Command::Publish, None).await
}
