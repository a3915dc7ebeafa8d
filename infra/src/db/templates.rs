//! 知识库: the templates clerks start replies, refusals and comments from.

use super::schema::{regions, templates};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::organisation::region::RegionPath;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = templates)]
pub struct TemplateRow {
    pub id: Uuid,
    pub region_code: String,
    pub agency_id: Option<Uuid>,
    pub category_code: Option<String>,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A template as written, checked by the caller.
pub struct NewTemplate<'a> {
    pub region_code: &'a str,
    pub agency_id: Option<Uuid>,
    pub category_code: Option<&'a str>,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub created_by: Uuid,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewTemplate<'_>) -> Result<TemplateRow, DbError> {
    Ok(diesel::insert_into(templates::table)
        .values((
            templates::id.eq(Uuid::now_v7()),
            templates::region_code.eq(new.region_code),
            templates::agency_id.eq(new.agency_id),
            templates::category_code.eq(new.category_code),
            templates::kind.eq(new.kind),
            templates::title.eq(new.title),
            templates::body.eq(new.body),
            templates::created_by.eq(new.created_by),
        ))
        .returning(TemplateRow::as_returning())
        .get_result(conn)
        .await?)
}

/// Changes a template's title and text.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<TemplateRow, DbError> {
    Ok(diesel::update(templates::table.find(id))
        .set((
            templates::title.eq(title),
            templates::body.eq(body),
            templates::updated_at.eq(now),
        ))
        .returning(TemplateRow::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), DbError> {
    diesel::delete(templates::table.find(id)).execute(conn).await?;
    Ok(())
}

/// A template with its region's path.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<(TemplateRow, RegionPath)>, DbError> {
    let row: Option<(TemplateRow, String)> = templates::table
        .inner_join(regions::table)
        .filter(templates::id.eq(id))
        .select((TemplateRow::as_select(), regions::path))
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(|(t, p)| (t, RegionPath::from_stored(p))))
}

/// Templates of regions under `path_prefix` (all when none), of one kind when asked, newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    path_prefix: Option<&str>,
    kind: Option<&str>,
    after: Option<Uuid>,
    probe: i64,
) -> Result<Vec<TemplateRow>, DbError> {
    let mut q = templates::table
        .inner_join(regions::table)
        .select(TemplateRow::as_select())
        .order(templates::id.desc())
        .limit(probe)
        .into_boxed();
    if let Some(prefix) = path_prefix {
        q = q.filter(regions::path.like(format!("{}%", super::regions::escape_like(prefix))));
    }
    if let Some(kind) = kind {
        q = q.filter(templates::kind.eq(kind.to_owned()));
    }
    if let Some(after) = after {
        q = q.filter(templates::id.lt(after));
    }
    Ok(q.load(conn).await?)
}

/// What fits an issue: templates of `kind` kept for a region on its path (`codes`, root first), for any agency or
/// one of `agencies`, for any category or its own. The region's depth comes along, to order them by how close
/// they fit.
pub async fn fitting(
    conn: &mut AsyncPgConnection,
    kind: &str,
    codes: &[&str],
    agencies: &[Uuid],
    category: Option<&str>,
) -> Result<Vec<TemplateRow>, DbError> {
    let mut q = templates::table
        .filter(templates::kind.eq(kind))
        .filter(templates::region_code.eq_any(codes))
        .filter(templates::agency_id.is_null().or(templates::agency_id.eq_any(agencies)))
        .select(TemplateRow::as_select())
        .into_boxed();
    q = match category {
        Some(c) => q.filter(
            templates::category_code
                .is_null()
                .or(templates::category_code.eq(c.to_owned())),
        ),
        None => q.filter(templates::category_code.is_null()),
    };
    Ok(q.load(conn).await?)
}
