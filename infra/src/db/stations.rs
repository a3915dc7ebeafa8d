use super::regions::escape_like;
use super::schema::{regions, stations};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::organisation::region::RegionPath;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = stations)]
pub struct StationRow {
    pub id: Uuid,
    pub region_code: String,
    pub name: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub reception_days: serde_json::Value,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A station's writable fields, already checked by the domain.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = stations, treat_none_as_null = true)]
pub struct StationFields {
    pub region_code: String,
    pub name: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub reception_days: serde_json::Value,
    pub enabled: bool,
}

impl StationRow {
    #[must_use]
    pub fn fields(&self) -> StationFields {
        StationFields {
            region_code: self.region_code.clone(),
            name: self.name.clone(),
            address: self.address.clone(),
            latitude: self.latitude,
            longitude: self.longitude,
            reception_days: self.reception_days.clone(),
            enabled: self.enabled,
        }
    }
}

pub async fn insert(conn: &mut AsyncPgConnection, id: Uuid, fields: &StationFields) -> Result<StationRow, DbError> {
    Ok(diesel::insert_into(stations::table)
        .values((stations::id.eq(id), fields))
        .returning(StationRow::as_returning())
        .get_result(conn)
        .await?)
}

/// The station and the path of its region (for permission checks).
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<(StationRow, RegionPath)>, DbError> {
    let row: Option<(StationRow, String)> = stations::table
        .inner_join(regions::table)
        .filter(stations::id.eq(id))
        .select((StationRow::as_select(), regions::path))
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(|(s, p)| (s, RegionPath::from_stored(p))))
}

/// The region paths of the given stations, for checking that each lies in a subtree.
pub async fn paths(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<Vec<(Uuid, RegionPath)>, DbError> {
    let rows: Vec<(Uuid, String)> = stations::table
        .inner_join(regions::table)
        .filter(stations::id.eq_any(ids))
        .select((stations::id, regions::path))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, p)| (id, RegionPath::from_stored(p)))
        .collect())
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    path_prefix: Option<&str>,
    after: Option<Uuid>,
    probe: i64,
) -> Result<Vec<StationRow>, DbError> {
    let mut q = stations::table
        .inner_join(regions::table)
        .select(StationRow::as_select())
        .order(stations::id.asc())
        .limit(probe)
        .into_boxed();
    if let Some(prefix) = path_prefix {
        q = q.filter(regions::path.like(format!("{}%", escape_like(prefix))));
    }
    if let Some(after) = after {
        q = q.filter(stations::id.gt(after));
    }
    Ok(q.load(conn).await?)
}

pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, fields: &StationFields) -> Result<StationRow, DbError> {
    Ok(diesel::update(stations::table.find(id))
        .set((fields, stations::updated_at.eq(diesel::dsl::now)))
        .returning(StationRow::as_returning())
        .get_result(conn)
        .await?)
}

/// The station of this name in this region (names are unique per region).
pub async fn find_by_name(
    conn: &mut AsyncPgConnection,
    region_code: &str,
    name: &str,
) -> Result<Option<StationRow>, DbError> {
    Ok(stations::table
        .filter(stations::region_code.eq(region_code))
        .filter(stations::name.eq(name))
        .select(StationRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The names of these stations.
pub async fn names(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>, DbError> {
    Ok(stations::table
        .filter(stations::id.eq_any(ids))
        .select((stations::id, stations::name))
        .load(conn)
        .await?)
}
