//! What citizens say of an elected project on its public page: comments and 1–5 star ratings (星级评价).

use super::schema::{project_comments, project_ratings, users};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = project_comments)]
pub struct CommentRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub needs_review: bool,
    pub created_at: DateTime<Utc>,
    /// The responsible agency's answer, shown under the comment.
    pub answer: Option<String>,
    pub answered_by: Option<Uuid>,
    pub answered_at: Option<DateTime<Utc>>,
    /// The issue staff turned it into.
    pub issue_id: Option<Uuid>,
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &CommentRow) -> Result<(), DbError> {
    diesel::insert_into(project_comments::table)
        .values(row)
        .execute(conn)
        .await?;
    Ok(())
}

/// A project's public comments (those no person needs to look at first) with their authors' names, newest first,
/// before `before` when given.
pub async fn of_project(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(CommentRow, String)>, DbError> {
    let mut q = project_comments::table
        .inner_join(users::table.on(users::id.eq(project_comments::author_id)))
        .filter(project_comments::project_id.eq(project))
        .filter(users::erased_at.is_null())
        .filter(project_comments::needs_review.eq(false))
        .select((CommentRow::as_select(), users::name))
        .order(project_comments::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(project_comments::id.lt(b));
    }
    Ok(q.load(conn).await?)
}

/// Rates a project, replacing the rater's earlier rating.
pub async fn rate(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    rater: Uuid,
    stars: i16,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(project_ratings::table)
        .values((
            project_ratings::project_id.eq(project),
            project_ratings::rater_id.eq(rater),
            project_ratings::stars.eq(stars),
            project_ratings::rated_at.eq(at),
        ))
        .on_conflict((project_ratings::project_id, project_ratings::rater_id))
        .do_update()
        .set((project_ratings::stars.eq(stars), project_ratings::rated_at.eq(at)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Each project's ratings: how many, and their stars summed.
pub async fn ratings(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<HashMap<Uuid, (u32, u32)>, DbError> {
    let rows: Vec<(Uuid, i64, Option<i64>)> = project_ratings::table
        .filter(project_ratings::project_id.eq_any(ids))
        .group_by(project_ratings::project_id)
        .select((project_ratings::project_id, count_star(), sum(project_ratings::stars)))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n, s)| {
            (
                id,
                (
                    u32::try_from(n).unwrap_or(u32::MAX),
                    u32::try_from(s.unwrap_or(0)).unwrap_or(u32::MAX),
                ),
            )
        })
        .collect())
}

/// Forgets what an erased citizen said of projects.
pub async fn forget(conn: &mut AsyncPgConnection, user: Uuid) -> Result<(), DbError> {
    diesel::delete(project_comments::table.filter(project_comments::author_id.eq(user)))
        .execute(conn)
        .await?;
    diesel::delete(project_ratings::table.filter(project_ratings::rater_id.eq(user)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Everything a person said of projects (for their export): their comments, held ones too, oldest first, and their
/// stars as `(project, stars, rated_at)`.
pub async fn of_person(
    conn: &mut AsyncPgConnection,
    user: Uuid,
) -> Result<(Vec<CommentRow>, Vec<(Uuid, i16, DateTime<Utc>)>), DbError> {
    let comments = project_comments::table
        .filter(project_comments::author_id.eq(user))
        .select(CommentRow::as_select())
        .order(project_comments::id.asc())
        .load(conn)
        .await?;
    let stars = project_ratings::table
        .filter(project_ratings::rater_id.eq(user))
        .select((
            project_ratings::project_id,
            project_ratings::stars,
            project_ratings::rated_at,
        ))
        .order(project_ratings::rated_at.asc())
        .load(conn)
        .await?;
    Ok((comments, stars))
}

/// A project's comments held for review, oldest first, with their authors' names.
pub async fn held(conn: &mut AsyncPgConnection, project: Uuid) -> Result<Vec<(CommentRow, String)>, DbError> {
    Ok(project_comments::table
        .inner_join(users::table.on(users::id.eq(project_comments::author_id)))
        .filter(project_comments::project_id.eq(project))
        .filter(project_comments::needs_review.eq(true))
        .select((CommentRow::as_select(), users::name))
        .order(project_comments::id.asc())
        .load(conn)
        .await?)
}

/// Decides on a held comment: published, it shows on the project's page; otherwise it is deleted. False when it is
/// not a held comment of that project.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    comment: Uuid,
    publish: bool,
) -> Result<bool, DbError> {
    let target = project_comments::table
        .filter(project_comments::id.eq(comment))
        .filter(project_comments::project_id.eq(project))
        .filter(project_comments::needs_review.eq(true));
    let changed = if publish {
        diesel::update(target)
            .set(project_comments::needs_review.eq(false))
            .execute(conn)
            .await?
    } else {
        diesel::delete(target).execute(conn).await?
    };
    Ok(changed == 1)
}

/// Writes (or replaces) the answer to a published comment of `project`, with the commenter's name; `None` when it is
/// no such comment.
pub async fn answer(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    comment: Uuid,
    text: &str,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<(CommentRow, String)>, DbError> {
    let answered: Option<CommentRow> = diesel::update(
        project_comments::table
            .filter(project_comments::id.eq(comment))
            .filter(project_comments::project_id.eq(project))
            .filter(project_comments::needs_review.eq(false)),
    )
    .set((
        project_comments::answer.eq(text),
        project_comments::answered_by.eq(by),
        project_comments::answered_at.eq(at),
    ))
    .returning(CommentRow::as_returning())
    .get_result(conn)
    .await
    .optional()?;
    let Some(row) = answered else { return Ok(None) };
    let name = users::table.find(row.author_id).select(users::name).first(conn).await?;
    Ok(Some((row, name)))
}

/// A published comment of `project`, locked until the transaction ends (its author's row is not), with its
/// author's name.
pub async fn lock_published(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    comment: Uuid,
) -> Result<Option<(CommentRow, String)>, DbError> {
    let row: Option<CommentRow> = project_comments::table
        .filter(project_comments::id.eq(comment))
        .filter(project_comments::project_id.eq(project))
        .filter(project_comments::needs_review.eq(false))
        .select(CommentRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let name: String = users::table.find(row.author_id).select(users::name).first(conn).await?;
    Ok(Some((row, name)))
}

/// Links a comment to the issue made of it.
pub async fn link_issue(conn: &mut AsyncPgConnection, comment: Uuid, issue: Uuid) -> Result<(), DbError> {
    diesel::update(project_comments::table.find(comment))
        .set(project_comments::issue_id.eq(issue))
        .execute(conn)
        .await?;
    Ok(())
}
