//! Elected projects read: the ranking (动态排序) and one project's page, as those who supervise them see them and as
//! the public does.

use super::money::SpendingEntry;
use super::plan::PlanChange;
use super::timeline::ProjectTimeline;
use super::{found, ranked, ranked_one, role_over, Milestone, ProjectComment, ProjectReport, ProjectSummary};
use crate::app::error::AppResult;
use crate::app::reach::region_filter;
use crate::app::Caller;
use crate::state::AppState;
use domain::permission::ProjectScope;
use domain::project::ReportKind;
use infra::db::projects::ProjectFilter;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// At most this many projects are ranked in one list: a province elects a few hundred a year.
const RANKED: i64 = 1000;

/// What became of an elected project since the vote, on its staff and public pages alike.
#[derive(Debug, Serialize, ToSchema)]
pub struct Story {
    /// Every change, in order, hash-chained.
    pub timeline: ProjectTimeline,
    /// Its agency's requests to change the plan and staff's decisions, newest first.
    pub plan_changes: Vec<PlanChange>,
    /// Money allocated and spent, by day.
    pub money: Vec<SpendingEntry>,
    /// The deputies' satisfaction evaluations of it (满意度测评), newest first.
    pub evaluations: Vec<ProjectEvaluation>,
}

/// What one evaluation's papers said of a project.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectEvaluation {
    pub ballot_id: Uuid,
    pub closed_at: chrono::DateTime<chrono::Utc>,
    pub satisfied: i32,
    pub basically: i32,
    pub dissatisfied: i32,
    /// 满意 + 基本满意 reached the evaluation's share; false sent it to 整改.
    pub passed: bool,
}

async fn story(conn: &mut infra::db::PgConn, id: Uuid) -> AppResult<Story> {
    let timeline = super::timeline::of(conn, id).await?;
    let plan_changes = infra::db::plan_changes::of(conn, id, false).await?;
    let money = super::money::entries(conn, id).await?;
    let evaluations = infra::db::ballots::evaluations_of(conn, &[id]).await?;
    Ok(Story {
        timeline,
        plan_changes: plan_changes.into_iter().map(PlanChange::from).collect(),
        money,
        evaluations: evaluations
            .into_iter()
            .map(
                |(_, ballot_id, closed_at, satisfied, basically, dissatisfied, passed)| ProjectEvaluation {
                    ballot_id,
                    closed_at,
                    satisfied,
                    basically,
                    dissatisfied,
                    passed,
                },
            )
            .collect(),
    })
}

/// An elected project as those who supervise it see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    #[serde(flatten)]
    pub project: ProjectSummary,
    #[serde(flatten)]
    pub story: Story,
    pub summary: String,
    pub milestones: Vec<Milestone>,
    /// The latest progress reports and inspections, newest first (20 at most; `/projects/{id}/reports` pages on).
    pub reports: Vec<ProjectReport>,
}

/// A project's public page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProject {
    #[serde(flatten)]
    pub project: ProjectSummary,
    #[serde(flatten)]
    pub story: Story,
    pub summary: String,
    pub milestones: Vec<Milestone>,
    /// The latest 20 progress reports and inspections, newest first.
    pub reports: Vec<ProjectReport>,
    /// The latest 20 comments, newest first (`/public/projects/{id}/comments` pages on).
    pub comments: Vec<ProjectComment>,
}

/// 动态排序 of the elected projects in the caller's reach: of `ballot`, of `region`'s subtree (staff, admins).
///
/// # Errors
/// 403 for citizens; 404 for a region outside the caller's reach.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    ballot: Option<Uuid>,
    region: Option<&str>,
) -> AppResult<Vec<ProjectSummary>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let mut filter = ProjectFilter {
        ballot,
        ..ProjectFilter::default()
    };
    let scope = ProjectScope::of(&caller.actor)?;
    let prefix;
    let above: Vec<&str>;
    match &scope {
        ProjectScope::Administered(admin) => {
            prefix = crate::app::reach::list_prefix(&mut conn, admin, region).await?;
            filter.path_prefix = prefix.as_deref();
        }
        ProjectScope::Agency(agency) => filter.agency = Some(*agency),
        ProjectScope::Branch(region) => {
            above = region.codes().collect();
            filter.path_prefix = Some(region.as_str());
            filter.or_regions = &above;
        }
    }
    let rows = infra::db::projects::elected(&mut conn, &filter, RANKED).await?;
    let ranked = ranked(&mut conn, rows, state.clock.now()).await?;
    Ok(ranked.into_iter().map(|l| l.summary).collect())
}

/// The public ranking of elected projects: of `ballot`, of `region`'s subtree.
///
/// # Errors
/// 404 for an unknown region.
pub async fn public_list(
    state: &AppState,
    ballot: Option<Uuid>,
    region: Option<&str>,
) -> AppResult<Vec<ProjectSummary>> {
    let mut conn = crate::app::reads::conn(state, None).await?;
    let prefix = region_filter(&mut conn, region).await?;
    let filter = ProjectFilter {
        path_prefix: prefix.as_deref(),
        ballot,
        ..ProjectFilter::default()
    };
    let rows = infra::db::projects::elected(&mut conn, &filter, 1000).await?;
    let ranked = ranked(&mut conn, rows, state.clock.now()).await?;
    Ok(ranked.into_iter().map(|l| l.summary).collect())
}

/// An elected project as those who supervise it see it.
///
/// # Errors
/// 404 for a project not elected or outside the caller's reach.
pub async fn page(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<ProjectPage> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, id).await?;
    role_over(&caller.actor, &project)?;
    let loaded = ranked_one(&mut conn, project, state.clock.now()).await?;
    let latest = infra::db::project_reports::of_project(&mut conn, id, None, None, 20).await?;
    Ok(ProjectPage {
        story: story(&mut conn, id).await?,
        project: loaded.summary,
        summary: loaded.summary_text,
        milestones: loaded.milestones,
        reports: latest.into_iter().map(ProjectReport::of).collect(),
    })
}

/// An elected project's public page: reports' numbers masked, progress signed by the agency.
///
/// # Errors
/// 404 for a project not elected.
pub async fn public_page(state: &AppState, id: Uuid) -> AppResult<PublicProject> {
    let mut conn = crate::app::reads::conn(state, None).await?;
    let project = found(&mut conn, id).await?;
    let agency = project.agency_name.clone();
    let loaded = ranked_one(&mut conn, project, state.clock.now()).await?;
    let latest = infra::db::project_reports::of_project(&mut conn, id, None, None, 20).await?;
    let said = infra::db::project_comments::of_project(&mut conn, id, None, 20).await?;
    Ok(PublicProject {
        story: story(&mut conn, id).await?,
        project: loaded.summary,
        summary: loaded.summary_text,
        milestones: loaded.milestones,
        reports: latest
            .into_iter()
            .map(|r| {
                let mut shown = ProjectReport::of(r);
                // The public reads a report's words as it reads an issue's: numbers people typed are masked.
                shown.note = domain::publication::mask(&shown.note, &[]);
                // Progress comes only from the agency's handlers, who speak for their agency here.
                if shown.kind == ReportKind::Progress {
                    shown.author_id = None;
                    shown.author_name.clone_from(&agency);
                }
                shown
            })
            .collect(),
        comments: said.into_iter().map(ProjectComment::of).collect(),
    })
}

/// Project `id`'s reports, newest first: of `kind` only, older than `before`, `limit` at most.
///
/// # Errors
/// 404 for a project not elected or outside the caller's reach.
pub async fn reports(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    kind: Option<ReportKind>,
    before: Option<Uuid>,
    limit: i64,
) -> AppResult<Vec<ProjectReport>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, id).await?;
    role_over(&caller.actor, &project)?;
    let rows =
        infra::db::project_reports::of_project(&mut conn, id, kind.map(ReportKind::as_str), before, limit).await?;
    Ok(rows.into_iter().map(ProjectReport::of).collect())
}

/// Comments held for review on project `id`, oldest first.
///
/// # Errors
/// 404 for a project not elected or outside the caller's reach; 403 for anyone over it but staff.
pub async fn held(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Vec<ProjectComment>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, id).await?;
    role_over(&caller.actor, &project)?.may_review_comments()?;
    let rows = infra::db::project_comments::held(&mut conn, project.project.id).await?;
    Ok(rows.into_iter().map(ProjectComment::of).collect())
}

/// Project `id`'s comments, newest first, older than `before`, `limit` at most (anyone reads them).
///
/// # Errors
/// 404 for a project not elected.
pub async fn comments(state: &AppState, id: Uuid, before: Option<Uuid>, limit: i64) -> AppResult<Vec<ProjectComment>> {
    let mut conn = crate::app::reads::conn(state, None).await?;
    found(&mut conn, id).await?;
    let rows = infra::db::project_comments::of_project(&mut conn, id, before, limit).await?;
    Ok(rows.into_iter().map(ProjectComment::of).collect())
}
