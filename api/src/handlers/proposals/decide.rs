//! `POST /proposals/{id}/decision`: staff fold a duplicate into another proposal, or say why one is not taken.

use crate::app;
use crate::app::error::AppResult;
use crate::app::proposals::Proposal;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::proposal::{Decision, NotTakenReason};
use domain::Invalid;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One of `merge_into`, `not_taken` and `publish`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decide {
    /// A duplicate: the proposal of the same round it is folded into (its proposer and supporters back that one).
    pub merge_into: Option<Uuid>,
    /// Not taken: the reason its proposer is told.
    #[schema(max_length = 500)]
    pub not_taken: Option<String>,
    /// `true`: a proposal WeChat's content check held is fine; the public reads it from now on (it stays open).
    pub publish: Option<bool>,
}

/// Decide what becomes of an open proposal (staff over the round's region, admins): folded into another of the round,
/// or not taken with a reason — the proposer is told — or, for one WeChat's content check held, published.
#[utoipa::path(operation_id = "decide_proposal", tag = "proposals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The proposal")),
    request_body = Decide,
    responses((status = 200, body = Proposal),
        (status = 409, description = "Decided already", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/proposals/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Decide>,
) -> AppResult<HttpResponse> {
    let decision = match (body.merge_into, body.not_taken.as_deref(), body.publish) {
        (Some(into), None, None) => Decision::Merge { into },
        (None, Some(reason), None) => Decision::NotTaken(NotTakenReason::parse(reason)?),
        (None, None, Some(true)) => {
            let answer = app::proposals::publish(&state, auth.caller(), *id, |p| {
                Answer::json(&auth, StatusCode::OK, None, &p)
            })
            .await?;
            return Ok(answer.respond());
        }
        _ => {
            let why = "give one of merge_into, not_taken and publish: true";
            return Err(Invalid::new("merge_into", "invalid", why).into());
        }
    };
    let answer = app::proposals::decide(&state, auth.caller(), *id, decision, |p| {
        Answer::json(&auth, StatusCode::OK, None, &p)
    })
    .await?;
    Ok(answer.respond())
}
