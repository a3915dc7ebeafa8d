use super::schema::{categories, category_areas};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
pub struct CategoryRow {
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The region whose own the category is (offered only within its subtree); none: everyone's.
    pub region_code: Option<String>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    code: &str,
    name: &str,
    parent: Option<&str>,
    owner: Option<&str>,
) -> Result<CategoryRow, DbError> {
    Ok(diesel::insert_into(categories::table)
        .values((
            categories::code.eq(code),
            categories::name.eq(name),
            categories::parent_code.eq(parent),
            categories::region_code.eq(owner),
        ))
        .returning(CategoryRow::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn find(conn: &mut AsyncPgConnection, code: &str) -> Result<Option<CategoryRow>, DbError> {
    Ok(categories::table
        .find(code)
        .select(CategoryRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The categories whose codes are in `codes` (to check that every one named exists).
pub async fn existing(conn: &mut AsyncPgConnection, codes: &[String]) -> Result<Vec<String>, DbError> {
    Ok(categories::table
        .filter(categories::code.eq_any(codes))
        .select(categories::code)
        .load(conn)
        .await?)
}

pub async fn has_children(conn: &mut AsyncPgConnection, code: &str) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        categories::table.filter(categories::parent_code.eq(code)),
    ))
    .get_result(conn)
    .await?)
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    parent: Option<&str>,
    after: Option<&str>,
    probe: i64,
) -> Result<Vec<CategoryRow>, DbError> {
    let mut q = categories::table
        .select(CategoryRow::as_select())
        .order(categories::code.asc())
        .limit(probe)
        .into_boxed();
    if let Some(parent) = parent {
        q = q.filter(categories::parent_code.eq(parent));
    }
    if let Some(after) = after {
        q = q.filter(categories::code.gt(after));
    }
    Ok(q.load(conn).await?)
}

/// Changes a category's name and, when `parent` is `Some`, its parent (`Some(None)` makes it top-level).
pub async fn update(
    conn: &mut AsyncPgConnection,
    code: &str,
    name: Option<&str>,
    parent: Option<Option<&str>>,
) -> Result<CategoryRow, DbError> {
    let current = categories::table
        .find(code)
        .select(CategoryRow::as_select())
        .first(conn)
        .await?;
    Ok(diesel::update(categories::table.find(code))
        .set((
            categories::name.eq(name.unwrap_or(&current.name)),
            categories::parent_code.eq(parent.unwrap_or(current.parent_code.as_deref())),
            categories::updated_at.eq(diesel::dsl::now),
        ))
        .returning(CategoryRow::as_returning())
        .get_result(conn)
        .await?)
}

/// Every category's name by its code, for exports that name what the lists carry as codes.
pub async fn names(conn: &mut AsyncPgConnection) -> Result<std::collections::HashMap<String, String>, DbError> {
    let rows: Vec<(String, String)> = categories::table
        .select((categories::code, categories::name))
        .load(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// How a region set a category for its subtree.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = category_areas)]
pub struct AreaSettingRow {
    pub region_code: String,
    pub category_code: String,
    pub offered: bool,
    pub name: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// Sets whether a region offers a category in its subtree, and the name it goes by there (none: the name from above).
pub async fn set_area(
    conn: &mut AsyncPgConnection,
    region: &str,
    code: &str,
    offered: bool,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<AreaSettingRow, DbError> {
    Ok(diesel::insert_into(category_areas::table)
        .values((
            category_areas::region_code.eq(region),
            category_areas::category_code.eq(code),
            category_areas::offered.eq(offered),
            category_areas::name.eq(name),
            category_areas::updated_at.eq(now),
        ))
        .on_conflict((category_areas::region_code, category_areas::category_code))
        .do_update()
        .set((
            category_areas::offered.eq(offered),
            category_areas::name.eq(name),
            category_areas::updated_at.eq(now),
        ))
        .returning(AreaSettingRow::as_returning())
        .get_result(conn)
        .await?)
}

/// The settings a region made for its subtree.
pub async fn areas_of(conn: &mut AsyncPgConnection, region: &str) -> Result<Vec<AreaSettingRow>, DbError> {
    Ok(category_areas::table
        .filter(category_areas::region_code.eq(region))
        .select(AreaSettingRow::as_select())
        .load(conn)
        .await?)
}
