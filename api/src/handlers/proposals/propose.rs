//! `POST /proposal-rounds/{id}/proposals`: a citizen or deputy proposes a livelihood project.

use crate::app;
use crate::app::error::AppResult;
use crate::app::proposals::{Proposal, ProposalAsked};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::proposal::{ProposalBody, ProposalReason, ProposalTitle};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Propose {
    #[schema(example = "阳明街道老旧小区加装电梯", max_length = 100)]
    pub title: String,
    /// What it would do, and where.
    #[schema(max_length = 2000)]
    pub body: String,
    /// Why it matters to the people who live there.
    #[schema(max_length = 1000)]
    pub reason: String,
}

/// Propose a livelihood project in an open round (citizens and deputies); others may then support it.
#[utoipa::path(operation_id = "propose", tag = "proposals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The round")),
    request_body = Propose,
    responses((status = 201, body = Proposal, headers(("Location" = String))),
        (status = 409, description = "The round is not open", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/proposal-rounds/{id}/proposals")]
pub async fn propose(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Propose>,
) -> AppResult<HttpResponse> {
    let asked = ProposalAsked {
        title: ProposalTitle::parse(&body.title)?,
        body: ProposalBody::parse(&body.body)?,
        reason: ProposalReason::parse(&body.reason)?,
    };
    let answer = app::proposals::propose(&state, auth.caller(), *id, asked, |p| {
        Answer::created(&auth, format!("/api/v1/proposal-rounds/{}", p.round_id), &p)
    })
    .await?;
    Ok(answer.respond())
}
