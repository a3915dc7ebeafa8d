//! 验单: `POST /projects/{id}/completion` (the agency declares it complete) and `POST /projects/{id}/acceptance`
//! (staff accept it or return it).

use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::project::delivery::{AcceptanceNote, CompletionSummary, Delivery};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclareComplete {
    /// What was delivered, as the public page shows it.
    #[schema(example = "全年加装电梯52台，均已通过特种设备验收并投入使用。", max_length = 2000)]
    pub summary: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAcceptance {
    /// Accepted (验收通过), or returned to the agency.
    pub accepted: bool,
    /// What staff say; required when returning it: what is missing.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Where a project's delivery stands after a step.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryStanding {
    pub delivery: Delivery,
}

/// Declare an elected project complete (the responsible agency's handlers), once every milestone is done; staff over
/// it are told and accept it or return it. After 整改 the agency declares it complete again.
#[utoipa::path(operation_id = "declare_project_complete", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = DeclareComplete,
    responses((status = 200, body = DeliveryStanding),
        (status = 409, description = "Milestones are open, or it is declared already", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/projects/{id}/completion")]
pub async fn completion(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<DeclareComplete>,
) -> AppResult<HttpResponse> {
    let summary = CompletionSummary::parse(&body.summary)?;
    let answer = app::projects::acceptance::complete(&state, auth.caller(), *id, &summary, |delivery| {
        Answer::json(&auth, StatusCode::OK, None, &DeliveryStanding { delivery })
    })
    .await?;
    Ok(answer.respond())
}

/// Accept a completed project (验收, staff over it), or return it to its agency with what is missing; the agency's
/// handlers are told. An accepted project may be rated in a satisfaction evaluation (`POST /evaluations`).
#[utoipa::path(operation_id = "record_project_acceptance", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = RecordAcceptance,
    responses((status = 200, body = DeliveryStanding),
        (status = 409, description = "It is not declared complete", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/projects/{id}/acceptance")]
pub async fn acceptance(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<RecordAcceptance>,
) -> AppResult<HttpResponse> {
    let note = body.note.as_deref().map(AcceptanceNote::parse).transpose()?;
    let recorded = domain::project::delivery::acceptance(body.accepted, note)?;
    let answer = app::projects::acceptance::accept(&state, auth.caller(), *id, recorded, |delivery| {
        Answer::json(&auth, StatusCode::OK, None, &DeliveryStanding { delivery })
    })
    .await?;
    Ok(answer.respond())
}
