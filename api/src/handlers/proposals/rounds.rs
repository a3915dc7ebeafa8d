//! `POST /proposal-rounds`, `GET /proposal-rounds`, `GET /proposal-rounds/{id}` and its `held`: a region's rounds of
//! proposals.

use crate::app;
use crate::app::error::AppResult;
use crate::app::proposals::{Proposal, Round, RoundAsked};
use crate::extract::{AuthUser, Json, Query};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::ballot::Schedule;
use domain::proposal::{round_year, ProposalStatus, RoundAsk, RoundTitle};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenRound {
    /// The region whose livelihood projects it gathers proposals for; staff open rounds in their subtree.
    #[schema(example = "330281")]
    pub region_code: String,
    /// The year of the projects, 2000–2100.
    #[schema(example = 2027)]
    pub year: i32,
    #[schema(example = "2027年余姚市民生实事项目征集", max_length = 100)]
    pub title: String,
    /// What it asks for: the kinds of projects, the budget's order, what makes a good proposal.
    #[schema(max_length = 2000)]
    pub ask: String,
    pub opens_at: DateTime<Utc>,
    /// After `opens_at`, and still to come.
    pub closes_at: DateTime<Utc>,
}

/// Open a round of proposals (征集) in a region of the caller's subtree (staff, admins).
#[utoipa::path(operation_id = "open_proposal_round", tag = "proposals", security(("bearer" = [])),
    request_body = OpenRound,
    responses((status = 201, body = Round, headers(("Location" = String)))))]
#[post("/proposal-rounds")]
pub async fn open(state: web::Data<AppState>, auth: AuthUser, body: Json<OpenRound>) -> AppResult<HttpResponse> {
    let body = body.0;
    let asked = RoundAsked {
        region_code: &body.region_code,
        year: round_year(body.year)?,
        title: RoundTitle::parse(&body.title)?,
        ask: RoundAsk::parse(&body.ask)?,
        schedule: Schedule::parse(body.opens_at, body.closes_at, state.clock.now())?,
    };
    let answer = app::proposals::open_round(&state, auth.caller(), asked, |round| {
        Answer::created(&auth, format!("/api/v1/proposal-rounds/{}", round.id), &round)
    })
    .await?;
    Ok(answer.respond())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListRounds {
    /// A region code: the rounds of that region and below.
    pub region: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
}

/// Rounds of proposals, the latest opening first, each with its phase and how many proposals it gathered. No sign-in
/// needed: a round is a public call.
#[utoipa::path(operation_id = "proposal_rounds", tag = "proposals", params(ListRounds),
    responses((status = 200, body = Vec<Round>)))]
#[get("/proposal-rounds")]
pub async fn list(state: web::Data<AppState>, q: Query<ListRounds>) -> AppResult<HttpResponse> {
    let limit = crate::page::limit(q.limit)?;
    Ok(HttpResponse::Ok().json(app::proposals::rounds(&state, q.region.as_deref(), limit.get()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RoundQuery {
    /// Only the proposals in this state.
    pub status: Option<ProposalStatus>,
}

/// A round with its proposals.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundPage {
    #[serde(flatten)]
    pub round: Round,
    /// Most supported first (1,000 at most); proposers are never named, numbers typed into the words are masked.
    pub items: Vec<Proposal>,
}

/// A round and what it gathered, most supported first. No sign-in needed.
#[utoipa::path(operation_id = "proposal_round", tag = "proposals",
    params(("id" = Uuid, Path, description = "The round"), RoundQuery),
    responses((status = 200, body = RoundPage)))]
#[get("/proposal-rounds/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<Uuid>, q: Query<RoundQuery>) -> AppResult<HttpResponse> {
    let (round, items) = app::proposals::round(&state, *id, q.status).await?;
    Ok(HttpResponse::Ok().json(RoundPage { round, items }))
}

/// The proposals of a round that WeChat's content check held for a person to look at, most supported first (staff
/// over the round's region, admins): publish them or decide them with `POST /proposals/{id}/decision`.
#[utoipa::path(operation_id = "held_proposals", tag = "proposals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The round")),
    responses((status = 200, body = Vec<Proposal>)))]
#[get("/proposal-rounds/{id}/held")]
pub async fn held(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(app::proposals::held(&state, &auth, *id).await?))
}
