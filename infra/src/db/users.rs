use super::regions::escape_like;
use super::schema::{deputy_stations, regions, users};
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::organisation::region::RegionPath;
use domain::organisation::user::SessionEnd;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: Uuid,
    pub role: String,
    pub name: String,
    pub phone: Option<String>,
    pub password_hash: Option<String>,
    pub region_code: Option<String>,
    pub agency_id: Option<Uuid>,
    pub deputy_level: Option<String>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub openid: Option<String>,
    pub unionid: Option<String>,
    pub scene_code: Option<String>,
    pub scene_at: Option<DateTime<Utc>>,
    pub erased_at: Option<DateTime<Utc>>,
}

/// An account with what it is bound to: its region's path and, for deputies, its stations.
#[derive(Debug, Clone)]
pub struct User {
    pub row: UserRow,
    pub region_path: Option<RegionPath>,
    pub stations: Vec<Uuid>,
}

/// A new account's columns, already checked by the domain.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: Uuid,
    pub role: &'a str,
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub region_code: Option<&'a str>,
    pub agency_id: Option<Uuid>,
    pub deputy_level: Option<&'a str>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewUser<'_>, stations: &[Uuid]) -> Result<User, DbError> {
    let id = new.id;
    conn.transaction(async |conn| {
        diesel::insert_into(users::table).values(new).execute(conn).await?;
        set_stations(conn, id, stations).await?;
        find(conn, id)
            .await?
            .ok_or(DbError::Query(diesel::result::Error::NotFound))
    })
    .await
}

async fn set_stations(conn: &mut AsyncPgConnection, id: Uuid, stations: &[Uuid]) -> Result<(), DbError> {
    diesel::delete(deputy_stations::table.filter(deputy_stations::user_id.eq(id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = stations
        .iter()
        .map(|s| (deputy_stations::user_id.eq(id), deputy_stations::station_id.eq(*s)))
        .collect();
    diesel::insert_into(deputy_stations::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<User>, DbError> {
    let row: Option<(UserRow, Option<String>)> = users::table
        .left_join(regions::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), regions::path.nullable()))
        .first(conn)
        .await
        .optional()?;
    let Some((row, path)) = row else {
        return Ok(None);
    };
    let mut with = attach_stations(conn, vec![(row, path)]).await?;
    Ok(with.pop())
}

/// The account signing in with this phone, if any.
pub async fn find_by_phone(conn: &mut AsyncPgConnection, phone: &str) -> Result<Option<UserRow>, DbError> {
    Ok(users::table
        .filter(users::phone.eq(phone))
        .select(UserRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

async fn attach_stations(
    conn: &mut AsyncPgConnection,
    rows: Vec<(UserRow, Option<String>)>,
) -> Result<Vec<User>, DbError> {
    let ids: Vec<Uuid> = rows.iter().map(|(r, _)| r.id).collect();
    let pairs: Vec<(Uuid, Uuid)> = deputy_stations::table
        .filter(deputy_stations::user_id.eq_any(&ids))
        .select((deputy_stations::user_id, deputy_stations::station_id))
        .order((deputy_stations::user_id, deputy_stations::station_id))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row, path)| {
            let stations = pairs.iter().filter(|(u, _)| *u == row.id).map(|(_, s)| *s).collect();
            User {
                row,
                region_path: path.map(RegionPath::from_stored),
                stations,
            }
        })
        .collect())
}

/// Which accounts a list wants.
#[derive(Debug, Default)]
pub struct UserFilter<'a> {
    pub path_prefix: Option<&'a str>,
    pub role: Option<&'a str>,
    pub agency: Option<Uuid>,
    pub station: Option<Uuid>,
    pub after: Option<Uuid>,
}

pub async fn list(conn: &mut AsyncPgConnection, filter: &UserFilter<'_>, probe: i64) -> Result<Vec<User>, DbError> {
    let mut q = users::table
        .left_join(regions::table)
        .select((UserRow::as_select(), regions::path.nullable()))
        .order(users::id.asc())
        .limit(probe)
        .into_boxed();
    if let Some(prefix) = filter.path_prefix {
        q = q.filter(regions::path.like(format!("{}%", escape_like(prefix))));
    }
    if let Some(role) = filter.role {
        q = q.filter(users::role.eq(role.to_owned()));
    }
    if let Some(agency) = filter.agency {
        q = q.filter(users::agency_id.eq(agency));
    }
    if let Some(station) = filter.station {
        q = q.filter(diesel::dsl::exists(
            deputy_stations::table
                .filter(deputy_stations::user_id.eq(users::id))
                .filter(deputy_stations::station_id.eq(station)),
        ));
    }
    if let Some(after) = filter.after {
        q = q.filter(users::id.gt(after));
    }
    let rows = q.load(conn).await?;
    attach_stations(conn, rows).await
}

/// An account's changeable fields; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges<'a> {
    pub name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub enabled: Option<bool>,
    pub deputy_level: Option<&'a str>,
}

/// Changes account `id` and, when `ends` says the change ends its sessions, ends them all in the same transaction:
/// no token issued before a new password, a new phone or a disabling outlives it.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &UserChanges<'_>,
    stations: Option<&[Uuid]>,
    ends: Option<SessionEnd>,
) -> Result<User, DbError> {
    conn.transaction(async |conn| {
        diesel::update(users::table.find(id))
            .set((changes, users::updated_at.eq(diesel::dsl::now)))
            .execute(conn)
            .await?;
        if let Some(stations) = stations {
            set_stations(conn, id, stations).await?;
        }
        if let Some(why) = ends {
            super::sessions::revoke_all(conn, id, super::sessions::Revoked::Changed(why)).await?;
        }
        find(conn, id)
            .await?
            .ok_or(DbError::Query(diesel::result::Error::NotFound))
    })
    .await
}

/// The citizen behind a WeChat openid, made on first sign-in; `created` says whether it was.
pub async fn citizen_by_openid(
    conn: &mut AsyncPgConnection,
    openid: &str,
    unionid: Option<&str>,
    name: &str,
) -> Result<(UserRow, bool), DbError> {
    conn.transaction(async |conn| {
        let created = diesel::insert_into(users::table)
            .values((
                users::id.eq(Uuid::now_v7()),
                users::role.eq("citizen"),
                users::name.eq(name),
                users::openid.eq(openid),
                users::unionid.eq(unionid),
            ))
            .on_conflict(users::openid)
            .do_nothing()
            .execute(conn)
            .await?
            == 1;
        let mut row: UserRow = users::table
            .filter(users::openid.eq(openid))
            .select(UserRow::as_select())
            .first(conn)
            .await?;
        // The unionid appears once the mini-program is bound to an open-platform account; remember it when it does.
        if unionid.is_some() && row.unionid.as_deref() != unionid {
            row = diesel::update(users::table.find(row.id))
                .set((users::unionid.eq(unionid), users::updated_at.eq(diesel::dsl::now)))
                .returning(UserRow::as_returning())
                .get_result(conn)
                .await?;
        }
        Ok((row, created))
    })
    .await
}

/// The account holding `phone`, or a new citizen's made with it (named `name`): signing in with a texted code.
/// `created` says whether it was made. A phone of another role's account answers that account: the caller refuses it.
pub async fn citizen_by_phone(
    conn: &mut AsyncPgConnection,
    phone: &str,
    name: &str,
) -> Result<(UserRow, bool), DbError> {
    conn.transaction(async |conn| {
        let created = diesel::insert_into(users::table)
            .values((
                users::id.eq(Uuid::now_v7()),
                users::role.eq("citizen"),
                users::name.eq(name),
                users::phone.eq(phone),
            ))
            .on_conflict(users::phone)
            .do_nothing()
            .execute(conn)
            .await?
            == 1;
        let row: UserRow = users::table
            .filter(users::phone.eq(phone))
            .select(UserRow::as_select())
            .first(conn)
            .await?;
        Ok((row, created))
    })
    .await
}

/// Remembers the scene a citizen arrived through: their next reports go to its station or deputy.
/// Gives a citizen's account the phone number WeChat vouched for (another account holding it is a unique violation
/// on `users_phone_key`).
pub async fn bind_phone(conn: &mut AsyncPgConnection, id: Uuid, phone: &str, at: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(users::table.find(id))
        .set((users::phone.eq(phone), users::updated_at.eq(at)))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_scene(conn: &mut AsyncPgConnection, id: Uuid, scene: &str) -> Result<(), DbError> {
    diesel::update(users::table.find(id))
        .set((
            users::scene_code.eq(scene),
            users::scene_at.eq(diesel::dsl::now),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Erases a citizen: openid, unionid, phone and name are gone and the account can never sign in again. The row stays
/// so that what they reported keeps its history, told as the deed of "a deleted citizen".
pub async fn erase(conn: &mut AsyncPgConnection, id: Uuid, name: &str) -> Result<(), DbError> {
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(name),
            users::openid.eq(None::<String>),
            users::unionid.eq(None::<String>),
            users::phone.eq(None::<String>),
            users::password_hash.eq(None::<String>),
            users::scene_code.eq(None::<String>),
            users::scene_at.eq(None::<DateTime<Utc>>),
            users::enabled.eq(false),
            users::erased_at.eq(diesel::dsl::now),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Name, role and phone of these accounts, for showing who acted.
pub async fn people(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String, String, Option<String>)>, DbError> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name, users::role, users::phone))
        .load(conn)
        .await?)
}

/// Enabled handlers of these agencies.
pub async fn handlers_of(conn: &mut AsyncPgConnection, agencies: &[Uuid]) -> Result<Vec<Uuid>, DbError> {
    Ok(users::table
        .filter(users::role.eq("handler"))
        .filter(users::enabled.eq(true))
        .filter(users::agency_id.eq_any(agencies))
        .select(users::id)
        .load(conn)
        .await?)
}

/// Enabled staff of these regions (listed from the region up), grouped by region, nearest first, leaving out
/// regions without staff: `[0]` is whose desk an overdue issue lands on, `[1]` where an escalation goes.
pub async fn staff_by_level(conn: &mut AsyncPgConnection, regions_up: &[&str]) -> Result<Vec<Vec<Uuid>>, DbError> {
    let found: Vec<(Uuid, Option<String>)> = users::table
        .filter(users::role.eq("staff"))
        .filter(users::enabled.eq(true))
        .filter(users::region_code.eq_any(regions_up))
        .select((users::id, users::region_code))
        .load(conn)
        .await?;
    Ok(regions_up
        .iter()
        .map(|code| {
            found
                .iter()
                .filter(|(_, r)| r.as_deref() == Some(*code))
                .map(|(id, _)| *id)
                .collect::<Vec<Uuid>>()
        })
        .filter(|level| !level.is_empty())
        .collect())
}

/// A citizen's openid, when the account is a citizen's that is still enabled.
pub async fn openid_of(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<String>, DbError> {
    Ok(users::table
        .find(id)
        .filter(users::role.eq("citizen"))
        .filter(users::enabled.eq(true))
        .select(users::openid)
        .first::<Option<String>>(conn)
        .await
        .optional()?
        .flatten())
}

/// What a request needs to know about its caller, read in one round trip: the account and whether the token's
/// session is still open.
#[derive(Debug, Clone, QueryableByName)]
pub struct CallerRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub role: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub enabled: bool,
    /// Erased by its owner (and so disabled for good).
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub erased: bool,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub agency_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    region_path: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub session_open: bool,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
    pub stations: Vec<Uuid>,
    /// What the citizen last scanned points to (at most one of the three).
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    scene_station: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    scene_deputy: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    scene_project: Option<Uuid>,
    /// The reference data's version now (`reference`): read here so that no request spends a statement on it.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub reference_version: i64,
}

impl CallerRow {
    /// Where the caller's last scanned code points, if it still exists.
    #[must_use]
    pub fn scene(&self) -> Option<domain::identity::SceneTarget> {
        use domain::identity::SceneTarget;
        match (self.scene_station, self.scene_deputy, self.scene_project) {
            (Some(station), _, _) => Some(SceneTarget::Station(station)),
            (None, Some(deputy), _) => Some(SceneTarget::Deputy(deputy)),
            (None, None, Some(project)) => Some(SceneTarget::Project(project)),
            _ => None,
        }
    }

    #[must_use]
    pub fn region_path(&self) -> Option<RegionPath> {
        self.region_path.clone().map(RegionPath::from_stored)
    }
}

/// The statement behind [`caller`]: `$1` the account, `$2` the session.
pub const CALLER: &str =
    "SELECT u.role, u.enabled, u.erased_at IS NOT NULL AS erased, u.agency_id, r.path AS region_path,
                EXISTS (SELECT 1 FROM sessions s WHERE s.id = $2 AND s.user_id = u.id AND s.revoked_at IS NULL)
                    AS session_open,
                ARRAY(SELECT d.station_id FROM deputy_stations d WHERE d.user_id = u.id ORDER BY d.station_id)
                    AS stations,
                sc.station_id AS scene_station, sc.deputy_id AS scene_deputy, sc.project_id AS scene_project,
                (SELECT v.version FROM reference_version v) AS reference_version
           FROM users u
           LEFT JOIN regions r ON r.code = u.region_code
           LEFT JOIN scenes sc ON sc.code = u.scene_code
          WHERE u.id = $1";

/// The account `user` with the open state of its session `session`; none when the account is gone. The connection
/// is taken shared, so that another statement can be sent on it before this one answers (one wait for both).
pub async fn caller(conn: &AsyncPgConnection, user: Uuid, session: Uuid) -> Result<Option<CallerRow>, DbError> {
    Ok(diesel::sql_query(CALLER)
        .bind::<diesel::sql_types::Uuid, _>(user)
        .bind::<diesel::sql_types::Uuid, _>(session)
        .cached()
        .get_result(&mut { conn })
        .await
        .optional()?)
}
