//! 码上监督: elected livelihood projects ranked (动态排序) with their milestones, shared by the staff and public pages.

pub mod acceptance;
pub mod comments;
pub mod money;
pub mod place;
pub mod plan;
pub mod read;
pub mod report;
pub mod timeline;

pub use comments::{answer_comment, comment, rate, review_comment, ProjectComment};

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::proposals::Backing;
use crate::app::stations::Location;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use domain::issue::warning::level;
use domain::issue::warning::Warning;
use domain::organisation::region::RegionPath;
use domain::permission::{Actor, ProjectRole};
use domain::project::delivery::Delivery;
use domain::project::money::Spending;
use domain::project::Progress;
use infra::db::ballots::MilestoneRow;
use infra::db::photos::PhotoUse;
use infra::db::projects::Supervised;
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Citizens' star ratings of a project.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct StarRatings {
    pub ratings: u32,
    /// The average, to one decimal; absent before the first rating.
    pub average: Option<f64>,
}

impl StarRatings {
    #[must_use]
    pub fn of((ratings, sum): (u32, u32)) -> Self {
        StarRatings {
            ratings,
            average: (ratings > 0).then(|| (f64::from(sum) * 10.0 / f64::from(ratings)).round() / 10.0),
        }
    }
}

/// An elected project in a ranking.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectSummary {
    /// Its place in the ranking (1 first): share of milestones done, then fewer overdue, then percent reported.
    pub rank: u32,
    pub id: Uuid,
    pub ballot_id: Uuid,
    pub region_code: String,
    pub session: String,
    pub title: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub budget_yuan: i64,
    /// The votes it was elected with, and its place among the ballot's elected projects.
    pub votes: Option<i32>,
    pub elected_rank: Option<i32>,
    pub elected_at: Option<DateTime<Utc>>,
    pub progress: Progress,
    /// The worst colour of its open milestones.
    pub warning: Option<Warning>,
    pub stars: StarRatings,
    /// 群众点单: the proposals it was taken up from and the people behind them; absent for a project the
    /// government proposed alone.
    pub backing: Option<Backing>,
    /// Where the work is; absent: the ballot's region as a whole.
    pub location: Option<Location>,
    pub address: Option<String>,
    /// The money allocated and spent against its budget, beside the share done.
    pub spending: Spending,
    /// Its agency's requests to change the plan that wait for staff.
    pub plan_changes_waiting: u32,
    /// 验单: delivering, completed (awaiting acceptance), accepted, rectifying (整改) or satisfied.
    pub delivery: Delivery,
    /// The agency's completion summary, or staff's note accepting or returning it.
    pub delivery_note: Option<String>,
}

/// An elected project with its milestones, as a summary of the ranking and the milestones in full.
pub struct Loaded {
    pub summary: ProjectSummary,
    pub summary_text: String,
    pub milestones: Vec<Milestone>,
}

/// Ranks elected projects: reads their milestones, latest percents and stars once for all.
pub async fn ranked(conn: &mut PgConn, rows: Vec<Supervised>, now: DateTime<Utc>) -> AppResult<Vec<Loaded>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.project.id).collect();
    let mut milestones = infra::db::ballots::milestones_of(conn, &ids).await?;
    let percents = infra::db::projects::latest_percents(conn, &ids).await?;
    let stars = infra::db::project_comments::ratings(conn, &ids).await?;
    let backing = crate::app::proposals::backing(conn, &ids).await?;
    let money = infra::db::project_spending::totals(conn, &ids).await?;
    let waiting = infra::db::plan_changes::open_counts(conn, &ids).await?;
    let mut loaded: Vec<Loaded> = rows
        .into_iter()
        .map(|r| {
            let (mine, rest): (Vec<_>, Vec<_>) = milestones.drain(..).partition(|m| m.project_id == r.project.id);
            milestones = rest;
            let times: Vec<_> = mine.iter().map(|m| (m.due_at, m.done_at)).collect();
            let progress = Progress::of(&times, percents.get(&r.project.id).copied(), now);
            let mine: Vec<Milestone> = mine.into_iter().map(|m| Milestone::of(m, now)).collect();
            let p = r.project;
            let (allocated, spent) = money.get(&p.id).copied().unwrap_or((0, 0));
            let spending = Spending::of(p.budget_yuan, allocated, spent, progress.done_percent());
            let location = p
                .latitude
                .zip(p.longitude)
                .map(|(latitude, longitude)| Location { latitude, longitude });
            Loaded {
                summary: ProjectSummary {
                    rank: 0,
                    id: p.id,
                    ballot_id: p.ballot_id,
                    region_code: r.region_code,
                    session: r.session,
                    title: p.title,
                    agency_id: p.agency_id,
                    agency_name: r.agency_name,
                    budget_yuan: p.budget_yuan,
                    votes: p.votes,
                    elected_rank: p.elected_rank,
                    elected_at: r.elected_at,
                    progress,
                    warning: mine.iter().filter_map(|m| m.warning).max(),
                    stars: StarRatings::of(stars.get(&p.id).copied().unwrap_or((0, 0))),
                    backing: backing.get(&p.id).copied(),
                    location,
                    address: p.address,
                    spending,
                    delivery: p
                        .delivery
                        .as_deref()
                        .and_then(|d| d.parse().ok())
                        .unwrap_or(Delivery::Delivering),
                    delivery_note: p.delivery_note,
                    plan_changes_waiting: waiting.get(&p.id).map_or(0, |n| u32::try_from(*n).unwrap_or(u32::MAX)),
                },
                summary_text: p.summary,
                milestones: mine,
            }
        })
        .collect();
    loaded.sort_by(|a, b| {
        a.summary
            .progress
            .ranking(&b.summary.progress)
            .then(a.summary.title.cmp(&b.summary.title))
    });
    for (i, l) in loaded.iter_mut().enumerate() {
        l.summary.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    Ok(loaded)
}

/// The elected project, or 404 (candidates that were not elected are not supervised).
pub async fn found(conn: &mut PgConn, id: Uuid) -> AppResult<Supervised> {
    infra::db::projects::find_elected(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("livelihood project"))
}

/// The region the project's ballot was held in: whose staff supervise it.
#[must_use]
pub fn region_of(project: &Supervised) -> RegionPath {
    RegionPath::from_stored(project.region_path.clone())
}

/// How the caller stands to the project.
pub fn role_over(actor: &Actor, project: &Supervised) -> AppResult<ProjectRole> {
    Ok(ProjectRole::of(actor, &region_of(project), project.project.agency_id)?)
}

/// The project ranked among its ballot's elected projects, with its milestones.
pub async fn ranked_one(conn: &mut PgConn, project: Supervised, now: DateTime<Utc>) -> AppResult<Loaded> {
    let id = project.project.id;
    let filter = infra::db::projects::ProjectFilter {
        ballot: Some(project.project.ballot_id),
        ..infra::db::projects::ProjectFilter::default()
    };
    let all = infra::db::projects::elected(conn, &filter, 1000).await?;
    ranked(conn, all, now)
        .await?
        .into_iter()
        .find(|l| l.summary.id == id)
        .ok_or_else(|| AppError::not_found("livelihood project"))
}

/// A planned milestone; once its project is elected, a deadline with a warning level.
#[derive(Debug, Serialize, ToSchema)]
pub struct Milestone {
    pub id: Uuid,
    pub title: String,
    pub planned_on: NaiveDate,
    /// The end of the planned day (Asia/Shanghai), once the project is elected.
    pub due_at: Option<DateTime<Utc>>,
    pub warn_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    /// green, yellow or red while it is open.
    pub warning: Option<Warning>,
}

impl Milestone {
    #[must_use]
    pub fn of(m: MilestoneRow, now: DateTime<Utc>) -> Self {
        let warning = match (m.done_at, m.warn_at, m.due_at) {
            (None, Some(warn_at), Some(due_at)) => Some(level(warn_at, due_at, now)),
            _ => None,
        };
        Milestone {
            id: m.id,
            title: m.title,
            planned_on: m.planned_on,
            due_at: m.due_at,
            warn_at: m.warn_at,
            done_at: m.done_at,
            warning,
        }
    }
}

/// A report on a project as its author writes it: the agency's progress, or a deputy's or staff member's inspection.
pub struct ReportDraft<'a> {
    pub kind: domain::project::ReportKind,
    pub note: &'a str,
    pub percent: Option<i16>,
    /// The milestone the report completes.
    pub milestone: Option<Uuid>,
    pub photos: &'a domain::issue::report::PhotoIds,
}

/// Files a report in one transaction: the row, its photos and the milestone it completes, or nothing. `may` says
/// which role over the project may file this kind.
///
/// # Errors
/// 404 / 403 for a project out of the caller's reach or role; 409 on `milestone_id` for a milestone done already,
/// `validation_failed` for one not of this project; the photos' own refusals.
pub async fn file_report<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    project: Uuid,
    draft: &ReportDraft<'_>,
    may: fn(ProjectRole) -> Result<(), domain::Denied>,
    answer: impl FnOnce(infra::db::project_reports::Report) -> AppResult<K> + Send,
) -> AppResult<K> {
    let actor = &caller.actor;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    may(role_over(actor, &supervised)?)?;
    let row = infra::db::project_reports::ReportRow {
        id: Uuid::now_v7(),
        project_id: project,
        kind: draft.kind.as_str().to_owned(),
        author_id: actor.user_id,
        note: draft.note.to_owned(),
        percent: draft.percent,
        milestone_id: draft.milestone,
        created_at: now,
    };
    commit(
        &mut conn,
        |conn| {
            async move {
                if let Some(m) = draft.milestone {
                    if !infra::db::projects::complete_milestone(conn, project, m, now).await? {
                        let known = infra::db::ballots::milestones_of(conn, &[project])
                            .await?
                            .into_iter()
                            .any(|r| r.id == m);
                        return Err(if known {
                            AppError::new(ErrorCode::Conflict, "this milestone is already done")
                                .with_field("milestone_id")
                        } else {
                            domain::Invalid::new("milestone_id", "unknown", "not a milestone of this project").into()
                        });
                    }
                }
                infra::db::project_reports::insert(conn, &row).await?;
                if let Some(m) = draft.milestone {
                    let note = format!("完成节点：{}", draft.note);
                    let data = serde_json::json!({ "milestone_id": m, "report_id": row.id });
                    let kind = domain::project::EventKind::MilestoneDone;
                    timeline::record(conn, project, kind, Some(actor), Some(&note), data, now).await?;
                }
                let photos = draft.photos.as_slice();
                crate::app::photos::attach_own(conn, actor.user_id, photos, PhotoUse::Report(row.id)).await?;
                let author_name = infra::db::users::find(conn, actor.user_id)
                    .await?
                    .map(|u| u.row.name)
                    .unwrap_or_default();
                Ok(infra::db::project_reports::Report {
                    row,
                    author_name,
                    photo_ids: photos.to_vec(),
                })
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// A progress report or an inspection record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectReport {
    pub id: Uuid,
    pub kind: domain::project::ReportKind,
    /// Absent on public pages for the agency's handlers, who speak for their agency.
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub note: String,
    pub percent: Option<i16>,
    /// The milestone this report completed.
    pub milestone_id: Option<Uuid>,
    pub photo_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl ProjectReport {
    #[must_use]
    pub fn of(r: infra::db::project_reports::Report) -> Self {
        ProjectReport {
            id: r.row.id,
            // The table's CHECK admits only the two words.
            kind: r.row.kind.parse().unwrap_or(domain::project::ReportKind::Progress),
            author_id: Some(r.row.author_id),
            author_name: r.author_name,
            note: r.row.note,
            percent: r.row.percent,
            milestone_id: r.row.milestone_id,
            photo_ids: r.photo_ids,
            created_at: r.row.created_at,
        }
    }
}
