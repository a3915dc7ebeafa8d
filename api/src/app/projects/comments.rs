//! Citizens' words on an elected project: their comments (checked, held when doubtful, answered by the agency,
//! turned into an issue by staff) and their star ratings.

use super::{found, role_over, StarRatings};
use crate::app::error::{AppError, AppResult};
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::content::{self, Checked};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::identity::SceneTarget;
use domain::project::CommentAnswer;
use infra::db::notifications::NewNotification;
use infra::db::project_comments::CommentRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

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
        issue_id: None,
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
                    project_id: Some(project.id),
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
    /// The issue staff turned it into (报议督评): followed by its author as its reporter.
    pub issue_id: Option<Uuid>,
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
            issue_id: row.issue_id,
        }
    }
}

/// Staff over the project turn a citizen's published comment into an issue of the 报议督评 loop, once: its author is
/// the issue's reporter (they follow it as their own report), it is filed in the project's region with the comment's
/// words, and the two are linked both ways — the comment names the issue, the issue's report event names the
/// project and comment. The project's timeline records it. Done: the comment with its issue.
///
/// # Errors
/// 404 for no such project or published comment; 403 for anyone but staff over it; 409 when the comment is an issue
/// already.
pub async fn turn_into_issue<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    (project, comment): (Uuid, Uuid),
    answer: impl FnOnce(ProjectComment) -> AppResult<K> + Send,
) -> AppResult<K> {
    use crate::app::issues::report::{number, write, Filing, Place};
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?
        .may_supervise("comments are turned into issues by staff over the project")?;
    let place = Place {
        region: super::region_of(&supervised),
        station_id: None,
        deputy_id: None,
    };
    let number = number(&mut conn, &place, now).await?;
    let (actor, supervised, number, place) = (&caller.actor, &supervised, &number, &place);
    commit(
        &mut conn,
        |conn| {
            async move {
                let (row, name) = infra::db::project_comments::lock_published(conn, project, comment)
                    .await?
                    .ok_or_else(|| AppError::not_found("comment"))?;
                if row.issue_id.is_some() {
                    return Err(AppError::new(
                        crate::app::error::ErrorCode::Conflict,
                        "this comment is an issue already",
                    ));
                }
                let reporter = domain::permission::Actor {
                    user_id: row.author_id,
                    role: domain::role::Role::Citizen,
                    region: None,
                    agency: None,
                    stations: Vec::new(),
                };
                let title =
                    domain::issue::report::Title::parse(&format!("民生实事项目「{}」留言", supervised.project.title))
                        .or_else(|_| domain::issue::report::Title::parse("民生实事项目留言"))?;
                let description = domain::issue::report::Description::parse(&row.body)?;
                let photos = domain::issue::report::PhotoIds::parse(Vec::new())?;
                let filing = Filing {
                    reporter: &reporter,
                    place: place.clone(),
                    title: Some(&title),
                    description: &description,
                    category_code: None,
                    point: None,
                    address: None,
                    photos: &photos,
                    anonymous: false,
                    needs_review: false,
                    from_comment: Some((project, comment)),
                };
                let issue = Uuid::now_v7();
                write(conn, issue, number, &filing, now).await?;
                infra::db::project_comments::link_issue(conn, comment, issue).await?;
                let note = format!("群众留言转为问题 {number}，进入报议督评办理");
                let data = serde_json::json!({ "comment_id": comment, "issue_id": issue, "number": number });
                let kind = domain::project::EventKind::CommentTurnedIntoIssue;
                super::timeline::record(conn, project, kind, Some(actor), Some(&note), data, now).await?;
                let linked = CommentRow {
                    issue_id: Some(issue),
                    ..row
                };
                Ok((linked, name))
            }
            .scope_boxed()
        },
        |c| answer(ProjectComment::of(c)),
    )
    .await
}
