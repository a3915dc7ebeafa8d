//! `POST /issues/{id}/withhold`: withhold an issue from the public results (`/api/v1/public/issues`), with the reason (staff of the issue's region).

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::issues::command::{run, CommandErrors};
use crate::handlers::issues::decline::ReasonBody;
use crate::handlers::issues::IssueView;
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
) -> AppResult<HttpResponse> {
    let reason = WithholdReason::parse(&body.reason)?.into_inner();
    let command = Command::Withhold { reason: reason.clone() };
    run(&state, &auth, *id, command, Some(&reason)).await
}
