//! 码上监督: elected livelihood projects ranked (动态排序) with their milestones, shared by the staff and public pages.

pub mod read;

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::proposals::Backing;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::content::{self, Checked};
use crate::state::AppState;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use domain::identity::SceneTarget;
use domain::issue::warning::level;
use domain::issue::warning::Warning;
use domain::organisation::region::RegionPath;
use domain::permission::{Actor, ProjectRole};
use domain::project::CommentAnswer;
use domain::project::Progress;
use infra::db::ballots::MilestoneRow;
use infra::db::notifications::NewNotification;
use infra::db::photos::PhotoUse;
use infra::db::project_comments::CommentRow;
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
    /// Its place among the ballot's elected projects.
    pub elected_rank: Option<i32>,
    pub elected_at: Option<DateTime<Utc>>,
    pub progress: Progress,
    /// The worst colour of its open milestones.
    pub warning: Option<Warning>,
    pub stars: StarRatings,
    /// 群众点单: the proposals it was taken up from and the people behind them; absent for a project the
    /// government proposed alone.
    pub backing: Option<Backing>,
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
    let mut loaded: Vec<Loaded> = rows
        .into_iter()
        .map(|r| {
            let (mine, rest): (Vec<_>, Vec<_>) = milestones.drain(..).partition(|m| m.project_id == r.project.id);
            milestones = rest;
            let times: Vec<_> = mine.iter().map(|m| (m.due_at, m.done_at)).collect();
            let progress = Progress::of(&times, percents.get(&r.project.id).copied(), now);
            let mine: Vec<Milestone> = mine.into_iter().map(|m| Milestone::of(m, now)).collect();
            let p = r.project;
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
                    elected_rank: p.elected_rank,
                    elected_at: r.elected_at,
                    progress,
                    warning: mine.iter().filter_map(|m| m.warning).max(),
                    stars: StarRatings::of(stars.get(&p.id).copied().unwrap_or((0, 0))),
                    backing: backing.get(&p.id).copied(),
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

/// How the caller stands to the project.
pub fn role_over(actor: &Actor, project: &Supervised) -> AppResult<ProjectRole> {
    let region = RegionPath::from_stored(project.region_path.clone());
    Ok(ProjectRole::of(actor, &region, project.project.agency_id)?)
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

/// A citizen comments on an elected project; what they write passes WeChat's content check first, as their reports
/// do, and a comment it holds doubtful waits for staff. Done: the comment and its author's name.
///
/// # Errors
/// 403 for anyone but a citizen; `validation_failed` / `content_risky` on `body`; 404 for no such project.
pub async fn comment<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    project: Uuid,
    body: &str,
    answer: impl FnOnce((infra::db::project_comments::CommentRow, String)) -> AppResult<K> + Send,
) -> AppResult<K> {
    domain::permission::may_comment_on_project(&caller.actor)?;
    let text = domain::issue::report::Note::parse(body).map_err(|e| e.at("body"))?;
    let checked = content::check(
        state,
        &caller.actor,
        text.as_str(),
        infra::wechat::TextScene::Comment,
        "body",
    )
    .await?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, project).await?;
    let author = caller.actor.user_id;
    let row = infra::db::project_comments::CommentRow {
        id: Uuid::now_v7(),
        project_id: project.project.id,
        author_id: author,
        body: text.as_str().to_owned(),
        needs_review: checked == Checked::NeedsReview,
        created_at: state.clock.now(),
        answer: None,
        answered_by: None,
        answered_at: None,
    };
    commit(
        &mut conn,
        |conn| {
            async move {
                infra::db::project_comments::insert(conn, &row).await?;
                let name = infra::db::users::find(conn, author)
                    .await?
                    .map(|u| u.row.name)
                    .unwrap_or_default();
                Ok((row, name))
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// The responsible agency's handler answers a citizen's published comment (again: the answer is replaced); the
/// commenter is told. Done, the comment with its answer.
///
/// # Errors
/// 404 for no such project or published comment; 403 for anyone but the responsible agency's handlers.
pub async fn answer_comment<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    (project, comment): (Uuid, Uuid),
    text: &CommentAnswer,
    answer: impl FnOnce(ProjectComment) -> AppResult<K> + Send,
) -> AppResult<K> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?.may_answer_comments()?;
    let now = state.clock.now();
    let (by, supervised) = (caller.actor.user_id, &supervised);
    commit(
        &mut conn,
        |conn| {
            async move {
                let project = &supervised.project;
                let answered = infra::db::project_comments::answer(conn, project.id, comment, text.as_str(), by, now)
                    .await?
                    .ok_or_else(|| AppError::not_found("comment"))?;
                let key = format!("comment-answer:{comment}:{now}");
                let body = format!(
                    "{}答复了您对「{}」的留言：{}",
                    supervised.agency_name,
                    project.title,
                    text.as_str()
                );
                let note = NewNotification {
                    issue_id: None,
                    kind: "comment_answered",
                    event_key: &key,
                    title: "您的留言有了答复",
                    body: &body,
                };
                infra::db::notifications::tell(conn, &[answered.0.author_id], &note, now).await?;
                Ok(answered)
            }
            .scope_boxed()
        },
        |answered| answer(ProjectComment::of(answered)),
    )
    .await
}

/// Staff over a project decide on a held comment: published, or kept off the page.
///
/// # Errors
/// 404 for no such project or held comment; 403 for a role that may not review.
pub async fn review_comment<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    (project, held): (Uuid, Uuid),
    publish: bool,
    answer: impl FnOnce(()) -> AppResult<K> + Send,
) -> AppResult<K> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?.may_review_comments()?;
    let project = supervised.project.id;
    commit(
        &mut conn,
        |conn| {
            async move {
                if infra::db::project_comments::decide(conn, project, held, publish).await? {
                    Ok(())
                } else {
                    Err(AppError::not_found("held comment"))
                }
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// A citizen who scanned a project's code rates it (1–5 stars; again replaces it); done, the project's ratings.
///
/// # Errors
/// 403 for anyone but a citizen who scanned it; 404 for no such project.
pub async fn rate(
    state: &AppState,
    caller: &Caller,
    project: Uuid,
    stars: domain::scale::Stars,
) -> AppResult<StarRatings> {
    domain::permission::may_comment_on_project(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let id = found(&mut conn, project).await?.project.id;
    let rater = caller.actor.user_id;
    let scanned = infra::db::scenes::has_scanned(&mut conn, rater, SceneTarget::Project(id)).await?;
    domain::permission::may_rate_project(&caller.actor, scanned)?;
    infra::db::project_comments::rate(&mut conn, id, rater, stars.get(), state.clock.now()).await?;
    let all = infra::db::project_comments::ratings(&mut conn, &[id]).await?;
    Ok(StarRatings::of(all.get(&id).copied().unwrap_or((0, 0))))
}

/// A comment as its page shows it: the author's name masked, and in the text the author's name and every phone or
/// ID number (runs of seven or more digits) masked as public issues are (`domain::publication::mask`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectComment {
    pub id: Uuid,
    #[schema(example = "王*")]
    pub author: String,
    pub body: String,
    /// WeChat's content check could not judge it: it shows on the public page once a person has looked.
    pub held_for_review: bool,
    pub created_at: DateTime<Utc>,
    /// The responsible agency's answer, in public under the comment.
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl ProjectComment {
    #[must_use]
    pub fn of((row, name): (CommentRow, String)) -> Self {
        let mut chars = name.chars();
        let author = chars.next().map_or_else(String::new, |c| format!("{c}*"));
        ProjectComment {
            id: row.id,
            author,
            body: domain::publication::mask(&row.body, &[&name]),
            held_for_review: row.needs_review,
            created_at: row.created_at,
            answer: row.answer.as_deref().map(|a| domain::publication::mask(a, &[&name])),
            answered_at: row.answered_at,
        }
    }
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
