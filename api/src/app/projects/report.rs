//! 验单 — the year closes: a region's report of every livelihood project elected in a year (Markdown and CSV, as the
//! 民情专报 is): its votes, delivery, money, the deputies' evaluation and any 整改.

use super::read::ProjectEvaluation;
use super::{ranked, ProjectSummary};
use crate::app::error::AppResult;
use crate::app::reach::list_prefix;
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Datelike, Utc};
use domain::issue::deadline::SHANGHAI;
use domain::permission::AdminScope;
use infra::db::projects::ProjectFilter;
use serde::Serialize;
use utoipa::ToSchema;

/// One project of the year.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearProject {
    #[serde(flatten)]
    pub project: ProjectSummary,
    /// Its evaluations, newest first.
    pub evaluations: Vec<ProjectEvaluation>,
    /// How many evaluations sent it to 整改.
    pub rectifications: u32,
}

/// A region's livelihood projects of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearReport {
    /// The region asked for; none: the caller's whole reach.
    pub region_code: Option<String>,
    pub year: i32,
    pub generated_at: DateTime<Utc>,
    pub projects: Vec<YearProject>,
    pub budget_yuan: i64,
    pub spent_yuan: i64,
    /// Projects the deputies rated satisfactory.
    pub satisfied: u32,
    /// Projects in 整改 now.
    pub rectifying: u32,
}

/// The projects elected in `year` (their ballot closed in it, Asia/Shanghai) in the caller's reach, or `region`'s.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 for a region outside their reach.
pub async fn year(state: &AppState, caller: &Caller, region: Option<&str>, year: i32) -> AppResult<YearReport> {
    let scope = AdminScope::of(&caller.actor)?;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = list_prefix(&mut conn, &scope, region).await?;
    let filter = ProjectFilter {
        path_prefix: prefix.as_deref(),
        ..ProjectFilter::default()
    };
    let rows: Vec<_> = infra::db::projects::elected(&mut conn, &filter, 1000)
        .await?
        .into_iter()
        .filter(|r| r.elected_at.is_some_and(|t| t.with_timezone(&SHANGHAI).year() == year))
        .collect();
    let ids: Vec<_> = rows.iter().map(|r| r.project.id).collect();
    let evaluated = infra::db::ballots::evaluations_of(&mut conn, &ids).await?;
    let projects: Vec<YearProject> = ranked(&mut conn, rows, now)
        .await?
        .into_iter()
        .map(|l| {
            let evaluations: Vec<ProjectEvaluation> = evaluated
                .iter()
                .filter(|e| e.0 == l.summary.id)
                .map(
                    |&(_, ballot_id, closed_at, satisfied, basically, dissatisfied, passed)| ProjectEvaluation {
                        ballot_id,
                        closed_at,
                        satisfied,
                        basically,
                        dissatisfied,
                        passed,
                    },
                )
                .collect();
            let rectifications = u32::try_from(evaluations.iter().filter(|e| !e.passed).count()).unwrap_or(0);
            YearProject {
                project: l.summary,
                evaluations,
                rectifications,
            }
        })
        .collect();
    let count = |d: domain::project::delivery::Delivery| {
        u32::try_from(projects.iter().filter(|p| p.project.delivery == d).count()).unwrap_or(0)
    };
    Ok(YearReport {
        region_code: region.map(str::to_owned),
        year,
        generated_at: now,
        budget_yuan: projects.iter().map(|p| p.project.budget_yuan).sum(),
        spent_yuan: projects.iter().map(|p| p.project.spending.spent_yuan).sum(),
        satisfied: count(domain::project::delivery::Delivery::Satisfied),
        rectifying: count(domain::project::delivery::Delivery::Rectifying),
        projects,
    })
}
