use super::schema::regions;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::organisation::region::{NewRegion, RegionCode, RegionPath};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = regions)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The letters its issue numbers start with (and those of regions below without their own).
    pub issue_prefix: Option<String>,
}

impl RegionRow {
    #[must_use]
    pub fn path(&self) -> RegionPath {
        RegionPath::from_stored(self.path.clone())
    }
}

/// Which regions a list wants: inside a subtree, children of one region, at one level, after a code.
#[derive(Debug, Default)]
pub struct RegionFilter<'a> {
    pub path_prefix: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub level: Option<&'a str>,
    pub after: Option<&'a str>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewRegion) -> Result<RegionRow, DbError> {
    Ok(diesel::insert_into(regions::table)
        .values((
            regions::code.eq(new.code.as_str()),
            regions::name.eq(new.name.as_str()),
            regions::level.eq(new.level.as_str()),
            regions::parent_code.eq(new.parent.as_ref().map(RegionCode::as_str)),
            regions::path.eq(new.path.as_str()),
        ))
        .returning(RegionRow::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn find(conn: &mut AsyncPgConnection, code: &str) -> Result<Option<RegionRow>, DbError> {
    Ok(regions::table
        .find(code)
        .select(RegionRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &RegionFilter<'_>,
    probe: i64,
) -> Result<Vec<RegionRow>, DbError> {
    let mut q = regions::table
        .select(RegionRow::as_select())
        .order(regions::code.asc())
        .limit(probe)
        .into_boxed();
    if let Some(prefix) = filter.path_prefix {
        q = q.filter(regions::path.like(format!("{}%", escape_like(prefix))));
    }
    if let Some(parent) = filter.parent {
        q = q.filter(regions::parent_code.eq(parent));
    }
    if let Some(level) = filter.level {
        q = q.filter(regions::level.eq(level));
    }
    if let Some(after) = filter.after {
        q = q.filter(regions::code.gt(after));
    }
    Ok(q.load(conn).await?)
}

pub async fn rename(conn: &mut AsyncPgConnection, code: &str, name: &str) -> Result<RegionRow, DbError> {
    Ok(diesel::update(regions::table.find(code))
        .set((regions::name.eq(name), regions::updated_at.eq(diesel::dsl::now)))
        .returning(RegionRow::as_returning())
        .get_result(conn)
        .await?)
}

/// Escapes `%`, `_` and `\` so a stored path is matched literally as a LIKE prefix.
#[must_use]
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Sets the letters a region's issue numbers start with.
pub async fn set_issue_prefix(conn: &mut AsyncPgConnection, code: &str, prefix: Option<&str>) -> Result<(), DbError> {
    diesel::update(regions::table.find(code))
        .set(regions::issue_prefix.eq(prefix))
        .execute(conn)
        .await?;
    Ok(())
}
