//! Reading ballots: the list, one ballot with its candidates, its published results and a voter's receipt check.

pub mod get;
pub mod list;
pub mod receipt;
pub mod results;

use super::{contest_of, found};
use crate::error::{ApiError, ApiResult};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

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
