//! What is reported on an elected project: its agency's progress (with photos, one report completing a milestone)
//! and the inspections (视察) of deputies and staff.

use super::schema::{photos, project_reports, users};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = project_reports)]
pub struct ReportRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub kind: String,
    pub author_id: Uuid,
    pub note: String,
    pub percent: Option<i16>,
    pub milestone_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &ReportRow) -> Result<(), DbError> {
    diesel::insert_into(project_reports::table)
        .values(row)
        .execute(conn)
        .await?;
    Ok(())
}

/// A report with its author's name and its photos.
#[derive(Debug, Clone)]
pub struct Report {
    pub row: ReportRow,
    pub author_name: String,
    pub photo_ids: Vec<Uuid>,
}

/// A project's reports, newest first, before `before` (a report id) when given.
pub async fn of_project(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    kind: Option<&str>,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Report>, DbError> {
    let mut q = project_reports::table
        .inner_join(users::table)
        .filter(project_reports::project_id.eq(project))
        .select((ReportRow::as_select(), users::name))
        .order(project_reports::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(k) = kind {
        q = q.filter(project_reports::kind.eq(k.to_owned()));
    }
    if let Some(b) = before {
        q = q.filter(project_reports::id.lt(b));
    }
    let rows: Vec<(ReportRow, String)> = q.load(conn).await?;
    let ids: Vec<Uuid> = rows.iter().map(|(r, _)| r.id).collect();
    let pictures: Vec<(Option<Uuid>, Uuid)> = photos::table
        .filter(photos::report_id.eq_any(&ids))
        .select((photos::report_id, photos::id))
        .order(photos::id.asc())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row, author_name)| Report {
            photo_ids: pictures
                .iter()
                .filter(|(r, _)| *r == Some(row.id))
                .map(|(_, p)| *p)
                .collect(),
            row,
            author_name,
        })
        .collect())
}

/// The project a photo's report belongs to, if the photo serves a report.
pub async fn project_of_photo(conn: &mut AsyncPgConnection, photo: Uuid) -> Result<Option<Uuid>, DbError> {
    Ok(photos::table
        .inner_join(project_reports::table)
        .filter(photos::id.eq(photo))
        .select(project_reports::project_id)
        .first(conn)
        .await
        .optional()?)
}
