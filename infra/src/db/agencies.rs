use super::regions::escape_like;
use super::schema::{agencies, agency_categories, regions};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::organisation::region::RegionPath;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = agencies)]
pub struct AgencyRow {
    pub id: Uuid,
    pub region_code: String,
    pub name: String,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The handler told when the agency's deadlines are overdue (督办联系人).
    pub contact_id: Option<Uuid>,
}

/// An agency with the categories it handles.
#[derive(Debug, Clone)]
pub struct Agency {
    pub row: AgencyRow,
    pub categories: Vec<String>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    region_code: &str,
    name: &str,
    categories: &[String],
) -> Result<Agency, DbError> {
    conn.transaction(async |conn| {
        let row = diesel::insert_into(agencies::table)
            .values((
                agencies::id.eq(id),
                agencies::region_code.eq(region_code),
                agencies::name.eq(name),
            ))
            .returning(AgencyRow::as_returning())
            .get_result(conn)
            .await?;
        set_categories(conn, id, categories).await?;
        Ok(Agency {
            row,
            categories: sorted(categories),
        })
    })
    .await
}

/// Replaces what an agency handles.
async fn set_categories(conn: &mut AsyncPgConnection, id: Uuid, categories: &[String]) -> Result<(), DbError> {
    diesel::delete(agency_categories::table.filter(agency_categories::agency_id.eq(id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = categories
        .iter()
        .map(|c| {
            (
                agency_categories::agency_id.eq(id),
                agency_categories::category_code.eq(c),
            )
        })
        .collect();
    diesel::insert_into(agency_categories::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

fn sorted(categories: &[String]) -> Vec<String> {
    let mut v = categories.to_vec();
    v.sort();
    v.dedup();
    v
}

/// The agency, its categories and the path of its region.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<(Agency, RegionPath)>, DbError> {
    let row: Option<(AgencyRow, String)> = agencies::table
        .inner_join(regions::table)
        .filter(agencies::id.eq(id))
        .select((AgencyRow::as_select(), regions::path))
        .first(conn)
        .await
        .optional()?;
    let Some((row, path)) = row else {
        return Ok(None);
    };
    let mut with = attach_categories(conn, vec![row]).await?;
    Ok(with.pop().map(|a| (a, RegionPath::from_stored(path))))
}

async fn attach_categories(conn: &mut AsyncPgConnection, rows: Vec<AgencyRow>) -> Result<Vec<Agency>, DbError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let pairs: Vec<(Uuid, String)> = agency_categories::table
        .filter(agency_categories::agency_id.eq_any(&ids))
        .select((agency_categories::agency_id, agency_categories::category_code))
        .order((agency_categories::agency_id, agency_categories::category_code))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let categories = pairs
                .iter()
                .filter(|(id, _)| *id == row.id)
                .map(|(_, c)| c.clone())
                .collect();
            Agency { row, categories }
        })
        .collect())
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    path_prefix: Option<&str>,
    category: Option<&str>,
    after: Option<Uuid>,
    probe: i64,
) -> Result<Vec<Agency>, DbError> {
    let mut q = agencies::table
        .inner_join(regions::table)
        .select(AgencyRow::as_select())
        .order(agencies::id.asc())
        .limit(probe)
        .into_boxed();
    if let Some(prefix) = path_prefix {
        q = q.filter(regions::path.like(format!("{}%", escape_like(prefix))));
    }
    if let Some(category) = category {
        q = q.filter(diesel::dsl::exists(
            agency_categories::table
                .filter(agency_categories::agency_id.eq(agencies::id))
                .filter(agency_categories::category_code.eq(category.to_owned())),
        ));
    }
    if let Some(after) = after {
        q = q.filter(agencies::id.gt(after));
    }
    let rows = q.load(conn).await?;
    attach_categories(conn, rows).await
}

/// Changes name, enabled flag and (when given) the categories, in one transaction.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    name: &str,
    enabled: bool,
    contact: Option<Uuid>,
    categories: Option<&[String]>,
) -> Result<Agency, DbError> {
    conn.transaction(async |conn| {
        let row = diesel::update(agencies::table.find(id))
            .set((
                agencies::name.eq(name),
                agencies::enabled.eq(enabled),
                agencies::contact_id.eq(contact),
                agencies::updated_at.eq(diesel::dsl::now),
            ))
            .returning(AgencyRow::as_returning())
            .get_result(conn)
            .await?;
        if let Some(categories) = categories {
            set_categories(conn, id, categories).await?;
        }
        let mut with = attach_categories(conn, vec![row]).await?;
        with.pop().ok_or(DbError::Query(diesel::result::Error::NotFound))
    })
    .await
}

/// The agency of this name in this region (names are unique per region).
pub async fn find_by_name(
    conn: &mut AsyncPgConnection,
    region_code: &str,
    name: &str,
) -> Result<Option<AgencyRow>, DbError> {
    Ok(agencies::table
        .filter(agencies::region_code.eq(region_code))
        .filter(agencies::name.eq(name))
        .select(AgencyRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The names of these agencies.
pub async fn names(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>, DbError> {
    Ok(agencies::table
        .filter(agencies::id.eq_any(ids))
        .select((agencies::id, agencies::name))
        .load(conn)
        .await?)
}

/// The ids of agencies in regions under a path prefix.
pub async fn ids_under(conn: &mut AsyncPgConnection, path_prefix: &str) -> Result<Vec<Uuid>, DbError> {
    Ok(agencies::table
        .inner_join(regions::table)
        .filter(regions::path.like(format!("{}%", escape_like(path_prefix))))
        .select(agencies::id)
        .load(conn)
        .await?)
}

/// The contacts (督办联系人) of these agencies that are still enabled handlers of them.
pub async fn contacts(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<Vec<Uuid>, DbError> {
    use super::schema::users;
    Ok(agencies::table
        .inner_join(users::table.on(users::id.nullable().eq(agencies::contact_id)))
        .filter(agencies::id.eq_any(ids))
        .filter(users::enabled.eq(true))
        .filter(users::agency_id.eq(agencies::id.nullable()))
        .select(users::id)
        .load(conn)
        .await?)
}
