//! `POST /projects/{id}/plan-changes/{change_id}/decision`: staff approve or refuse a plan change.

use super::PlanChange;
use crate::app;
use crate::app::error::AppResult;
use crate::app::projects::plan::Deciding;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::project::plan::{ChangeDecision, DecisionNote};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecidePlanChange {
    /// `approved` or `refused`.
    pub decision: ChangeDecision,
    /// What staff say with it; the agency reads it.
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// Decide a plan change (staff over the project), once. Approved, the plan changes at once: a postponed milestone's
/// deadline moves (its colour and reminders follow), a new milestone is supervised from now, an amended one is
/// renamed. The agency's handlers are told; the decision is on the project's timeline.
#[utoipa::path(operation_id = "decide_plan_change", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project"), ("change_id" = Uuid, Path, description = "A plan change of it")),
    request_body = DecidePlanChange,
    responses((status = 200, body = PlanChange),
        (status = 409, description = "It was decided already", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/projects/{id}/plan-changes/{change_id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<DecidePlanChange>,
) -> AppResult<HttpResponse> {
    let note = body.note.as_deref().map(DecisionNote::parse).transpose()?;
    let deciding = Deciding {
        decision: body.decision,
        note,
    };
    let answer = app::projects::plan::decide(&state, auth.caller(), *path, deciding, |c| {
        Answer::json(&auth, StatusCode::OK, None, &c)
    })
    .await?;
    Ok(answer.respond())
}
