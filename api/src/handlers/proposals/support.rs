//! `POST /proposals/{id}/support`: 附议.

use crate::app;
use crate::app::error::AppResult;
use crate::app::proposals::Proposal;
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use uuid::Uuid;

/// Support (附议) someone else's proposal while its round is open (citizens and deputies); supporting again changes
/// nothing. Answers the proposal with its count.
#[utoipa::path(operation_id = "support_proposal", tag = "proposals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The proposal")),
    responses((status = 200, body = Proposal),
        (status = 409, description = "The round is not open, or the proposal was merged or not taken", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/proposals/{id}/support")]
pub async fn support(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let answer = app::proposals::support(&state, auth.caller(), *id, |p| {
        Answer::json(&auth, StatusCode::OK, None, &p)
    })
    .await?;
    Ok(answer.respond())
}
