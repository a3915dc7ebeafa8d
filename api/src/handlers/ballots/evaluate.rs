//! `POST /evaluations`: open a satisfaction evaluation (满意度测评) of accepted projects.

use super::Ballot;
use crate::app;
use crate::app::ballots::evaluation::NewEvaluationAsked;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::ballot::evaluation::{rectify_days, Assessment};
use domain::ballot::{roster, BallotTitle, Schedule, SessionName};
use domain::fraction::Fraction;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvaluation {
    /// The region whose congress evaluates; staff open evaluations in their subtree.
    #[schema(example = "330281")]
    pub region_code: String,
    #[schema(example = "2026年民生实事项目满意度测评", max_length = 100)]
    pub title: String,
    #[schema(example = "余姚市第十七届人民代表大会第七次会议", max_length = 100)]
    pub session: String,
    /// The projects rated, in the order of the paper: elected in the region, accepted (验收).
    pub project_ids: Vec<Uuid>,
    /// The share of 满意 + 基本满意 among a project's ratings it needs, `a/b` (default `2/3`); below it the project
    /// goes to 整改.
    #[schema(example = "2/3", max_length = 9)]
    pub pass_share: Option<String>,
    /// The days a project below the share has to rectify (default 60).
    pub rectify_days: Option<u32>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The deputies who rate: deputy accounts of the region's subtree, each once.
    pub roster: Vec<Uuid>,
}

/// Open a satisfaction evaluation (满意度测评, staff of the region's subtree): the deputies on the roster rate each
/// project 满意 / 基本满意 / 不满意, secretly, exactly as they vote in a ballot — check in
/// (`POST /ballots/{id}/check-in`), then cast `{token, signature, marks}` without signing in
/// (`POST /ballots/{id}/papers`). Closing (`POST /ballots/{id}/close`) publishes each project's ratings with the
/// turnout (`GET /ballots/{id}/results`); a project below the share goes to 整改 with a deadline, and after it is
/// rectified, declared complete and accepted again, a later evaluation rates it again.
#[utoipa::path(operation_id = "create_evaluation", tag = "ballots", security(("bearer" = [])),
    request_body = CreateEvaluation,
    responses((status = 201, body = Ballot, headers(("Location" = String)))))]
#[post("/evaluations")]
pub async fn create(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<CreateEvaluation>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let pass = match &body.pass_share {
        Some(raw) => Fraction::parse("pass_share", raw)?,
        None => Fraction::new("pass_share", 2, 3)?,
    };
    let rectify_days = rectify_days(body.rectify_days)?;
    let asked = NewEvaluationAsked {
        region_code: &body.region_code,
        title: BallotTitle::parse(&body.title)?,
        session: SessionName::parse(&body.session)?,
        pass,
        rectify_days,
        schedule: Schedule::parse(body.opens_at, body.closes_at, state.clock.now())?,
        projects: Assessment::parse(body.project_ids, pass)?,
        roster: roster(body.roster)?,
    };
    let answer = app::ballots::evaluation::open(&state, auth.caller(), asked, |ballot| {
        Answer::created(&auth, format!("/api/v1/ballots/{}", ballot.id), &ballot)
    })
    .await?;
    Ok(answer.respond())
}
