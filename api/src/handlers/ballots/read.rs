use super::{contest_of, found, phase_of, standing, view, Ballot};
use crate::app::reach::list_prefix;
use crate::error::{ApiError, ApiResult};
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::page;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::ballot::Phase;
use domain::permission::AdminScope;
use domain::role::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListBallots {
    /// Only ballots of this region's subtree (staff, admins).
    pub region: Option<String>,
    pub limit: Option<i64>,
}

/// A ballot in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct BallotSummary {
    pub id: Uuid,
    pub region_code: String,
    pub title: String,
    pub session: String,
    pub seats: i32,
    pub phase: Phase,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub roster_size: i32,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Ballots, latest opening first: staff see their subtree's, deputies those they are on the roster of.
#[utoipa::path(tag = "ballots", security(("bearer" = [])), params(ListBallots),
    responses((status = 200, body = Vec<BallotSummary>)))]
#[get("/ballots")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListBallots>) -> ApiResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = if auth.actor.role == Role::Deputy {
        infra::db::ballots::list(&mut conn, None, Some(auth.actor.user_id), limit.get()).await?
    } else {
        let scope = AdminScope::of(&auth.actor)?;
        let prefix = list_prefix(&mut conn, &scope, q.region.as_deref()).await?;
        infra::db::ballots::list(&mut conn, prefix.as_deref(), None, limit.get()).await?
    };
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|b| BallotSummary {
                phase: phase_of(&b, now),
                id: b.id,
                region_code: b.region_code,
                title: b.title,
                session: b.session,
                seats: b.seats,
                opens_at: b.opens_at,
                closes_at: b.closes_at,
                roster_size: b.roster_size,
                closed_at: b.closed_at,
            })
            .collect::<Vec<_>>(),
    ))
}

/// A ballot with its candidates and public key (staff of its region, deputies on its roster).
#[utoipa::path(tag = "ballots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ballot")),
    responses((status = 200, body = Ballot)))]
#[get("/ballots/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, *id).await?;
    let standing = standing(&mut conn, &auth.actor, &ballot).await?;
    Ok(HttpResponse::Ok().json(view(&mut conn, ballot, &standing, state.clock.now()).await?))
}

/// The published results of a tallied ballot.
#[derive(Debug, Serialize, ToSchema)]
pub struct Results {
    pub ballot_id: Uuid,
    pub region_code: String,
    pub title: String,
    pub session: String,
    pub seats: i32,
    #[schema(example = "1/2")]
    pub threshold: String,
    pub closed_at: DateTime<Utc>,
    /// Deputies entitled to vote.
    pub roster_size: i32,
    /// Papers cast.
    pub cast: i32,
    /// Papers cast per roster, in percent to one decimal.
    #[schema(example = 98.7)]
    pub turnout_percent: f64,
    /// The elected projects, most votes first.
    pub elected: Vec<ProjectResult>,
    /// Candidates tied for the last seats, more of them than seats left: a runoff (另行投票) among them decides.
    pub runoff: Vec<ProjectResult>,
    /// Seats left unfilled (for the runoff, or because too few passed the threshold).
    pub open_seats: i32,
    /// Every candidate, in the order of the paper.
    pub counts: Vec<ProjectResult>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectResult {
    pub project_id: Uuid,
    pub title: String,
    pub agency_id: Uuid,
    pub votes: i32,
    /// More than the threshold's share of the papers cast.
    pub passed: bool,
    /// `elected`, `not_elected` or `runoff`.
    pub outcome: String,
}

/// The results of a ballot, public once it is tallied (404 before).
#[utoipa::path(tag = "ballots",
    params(("id" = Uuid, Path, description = "The ballot")),
    responses((status = 200, body = Results)))]
#[get("/ballots/{id}/results")]
pub async fn results(state: web::Data<AppState>, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(HttpResponse::Ok().json(results_of(&mut conn, *id).await?))
}

/// The results of a tallied ballot, as published.
pub async fn results_of(conn: &mut infra::db::PgConn, id: Uuid) -> ApiResult<Results> {
    let b = found(conn, id).await?;
    let (Some(closed_at), Some(cast), Some(open_seats)) = (b.closed_at, b.cast_papers, b.open_seats) else {
        return Err(ApiError::not_found("results (the ballot is not tallied yet)"));
    };
    let projects = infra::db::ballots::projects_of(conn, &[b.id]).await?;
    let contest = contest_of(&b, &projects)?;
    let counts: Vec<ProjectResult> = projects
        .iter()
        .map(|p| {
            let votes = p.votes.unwrap_or(0);
            ProjectResult {
                project_id: p.id,
                title: p.title.clone(),
                agency_id: p.agency_id,
                votes,
                passed: contest.passes(u32::try_from(votes).unwrap_or(0), u32::try_from(cast).unwrap_or(0)),
                outcome: p.outcome.clone().unwrap_or_default(),
            }
        })
        .collect();
    let mut elected: Vec<(i32, ProjectResult)> = projects
        .iter()
        .zip(&counts)
        .filter_map(|(p, r)| p.elected_rank.map(|rank| (rank, r.clone())))
        .collect();
    elected.sort_by_key(|(rank, _)| *rank);
    let runoff = counts.iter().filter(|r| r.outcome == "runoff").cloned().collect();
    let turnout = if b.roster_size > 0 {
        (f64::from(cast) * 1000.0 / f64::from(b.roster_size)).round() / 10.0
    } else {
        0.0
    };
    Ok(Results {
        ballot_id: b.id,
        region_code: b.region_code,
        title: b.title,
        session: b.session,
        seats: b.seats,
        threshold: format!("{}/{}", b.threshold_num, b.threshold_den),
        closed_at,
        roster_size: b.roster_size,
        cast,
        turnout_percent: turnout,
        elected: elected.into_iter().map(|(_, r)| r).collect(),
        runoff,
        open_seats,
        counts,
    })
}

/// Whether a paper was counted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptCheck {
    pub receipt: String,
    /// True when a paper with this receipt is among the ballot's papers.
    pub counted: bool,
}

/// Check a receipt: was the paper cast with it counted? Anyone holding the code may ask; the answer says nothing of
/// what the paper chose, so a receipt cannot prove a vote to someone buying it.
#[utoipa::path(tag = "ballots",
    params(("id" = Uuid, Path, description = "The ballot"),
        ("receipt" = String, Path, description = "The receipt code the paper's answer gave (20 hex digits)")),
    responses((status = 200, body = ReceiptCheck),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/ballots/{id}/receipts/{receipt}")]
pub async fn receipt(state: web::Data<AppState>, path: web::Path<(Uuid, String)>) -> ApiResult<HttpResponse> {
    let (id, receipt) = path.into_inner();
    let receipt = receipt.to_ascii_lowercase();
    if receipt.len() != 20 || !receipt.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(domain::Invalid::new("receipt", "malformed", "20 hexadecimal digits").into());
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, id).await?;
    let counted =
        infra::db::ballots::counted(&mut conn, ballot.id, &infra::ballot_key::digest(receipt.as_bytes())).await?;
    Ok(HttpResponse::Ok().json(ReceiptCheck { receipt, counted }))
}
