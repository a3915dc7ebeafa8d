use super::Ballot;
use crate::app;
use crate::app::ballots::commands::{Candidate, NewBallotAsked};
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use domain::ballot::{
    roster, BallotTitle, Contest, PlannedMilestone, ProjectSummary, ProjectTitle, Schedule, SessionName,
};
use domain::fraction::Fraction;
use domain::proposal::taken_once;
use domain::Invalid;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBallot {
    /// The region whose congress votes; staff create ballots in their subtree.
    #[schema(example = "330281")]
    pub region_code: String,
    #[schema(example = "2026年民生实事项目代表票决", max_length = 100)]
    pub title: String,
    #[schema(example = "余姚市第十七届人民代表大会第六次会议", max_length = 100)]
    pub session: String,
    /// Projects to elect: at least one, fewer than the candidates (差额).
    pub seats: u32,
    /// A project is elected only with more than this share of the papers cast, `a/b` (default `1/2`: more than half;
    /// `0/1`: votes alone decide).
    #[schema(example = "1/2")]
    pub threshold: Option<String>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The deputies entitled to vote: deputy accounts of the region's subtree, each once.
    pub roster: Vec<Uuid>,
    /// The candidate projects the government proposes, in the order they are printed on the paper.
    pub candidates: Vec<CandidateBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateBody {
    #[schema(example = "老旧小区加装电梯", max_length = 100)]
    pub title: String,
    #[schema(max_length = 2000)]
    pub summary: String,
    /// The agency responsible for carrying it out, in the ballot's region's subtree.
    pub agency_id: Uuid,
    #[schema(example = 12_000_000)]
    pub budget_yuan: i64,
    /// Planned milestones, in the order of their days.
    #[serde(default)]
    pub milestones: Vec<MilestoneBody>,
    /// 群众点单: the open proposals of rounds in the ballot's region (or below) this candidate takes up; each
    /// proposal once in the ballot. Their proposers are told, and the candidate shows how many people backed it.
    #[serde(default)]
    pub proposal_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneBody {
    #[schema(example = "完成施工招标", max_length = 100)]
    pub title: String,
    pub planned_on: NaiveDate,
}

fn candidate(i: usize, c: CandidateBody, schedule: &Schedule) -> Result<Candidate, Invalid> {
    let at = format!("candidates[{i}]");
    if c.budget_yuan < 0 {
        return Err(Invalid::new(
            format!("{at}.budget_yuan"),
            "out_of_range",
            "must not be negative",
        ));
    }
    Ok(Candidate {
        id: Uuid::now_v7(),
        title: ProjectTitle::parse(&c.title).map_err(|e| e.under(&at))?,
        summary: ProjectSummary::parse(&c.summary).map_err(|e| e.under(&at))?,
        agency_id: c.agency_id,
        budget_yuan: c.budget_yuan,
        milestones: PlannedMilestone::parse_all(
            c.milestones.into_iter().map(|m| (m.title, m.planned_on)).collect(),
            schedule.election_day(),
        )
        .map_err(|e| e.under(&at))?,
        proposals: c.proposal_ids,
    })
}

/// Create a ballot of livelihood projects (staff of the region's subtree, admins).
///
/// The ballot's blind-signing key is made here; its public half is in the answer.
#[utoipa::path(
    tag = "ballots",
    security(("bearer" = [])),
    request_body = CreateBallot,
    responses((status = 201, body = Ballot, headers(("Location" = String))))
)]
#[post("/ballots")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateBallot>) -> AppResult<HttpResponse> {
    let body = body.0;
    let threshold = match &body.threshold {
        Some(raw) => Fraction::parse("threshold", raw)?,
        None => Fraction::HALF,
    };
    let schedule = Schedule::parse(body.opens_at, body.closes_at, state.clock.now())?;
    let candidates = body
        .candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| candidate(i, c, &schedule))
        .collect::<Result<Vec<_>, _>>()?;
    Contest::parse(candidates.iter().map(|c| c.id).collect(), body.seats, threshold)?;
    taken_once(&candidates.iter().map(|c| c.proposals.clone()).collect::<Vec<_>>())?;
    let asked = NewBallotAsked {
        region_code: &body.region_code,
        title: BallotTitle::parse(&body.title)?,
        session: SessionName::parse(&body.session)?,
        seats: body.seats,
        threshold,
        schedule,
        candidates,
        roster: roster(body.roster)?,
    };
    let answer = app::ballots::commands::open(&state, auth.caller(), asked, |ballot| {
        Answer::created(&auth, format!("/api/v1/ballots/{}", ballot.id), &ballot)
    })
    .await?;
    Ok(answer.respond())
}
