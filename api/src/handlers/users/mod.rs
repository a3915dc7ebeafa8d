//! Accounts of admins, staff, deputies and handlers (citizens arrive through WeChat).

pub mod create;
pub mod get;
pub mod list;
pub mod sessions;
pub mod update;

use crate::error::{ApiError, ApiResult};
use chrono::{DateTime, Utc};
use domain::organisation::region::RegionPath;
use domain::organisation::user::Phone;
use domain::organisation::user::{check_deputy_stations, Binding};
use domain::permission::{may_see_phone, Actor, AdminScope};
use domain::role::{DeputyLevel, Role};
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// An account as other people see it. Password hashes never leave the database.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub role: Role,
    #[schema(example = "王建国")]
    pub name: String,
    /// Masked (`139****0001`) for everyone but the account's owner and admins.
    #[schema(example = "139****0001")]
    pub phone: Option<String>,
    /// Staff: jurisdiction. Deputies: where elected. Handlers: their agency's region.
    pub region_code: Option<String>,
    pub agency_id: Option<Uuid>,
    pub deputy_level: Option<DeputyLevel>,
    /// Deputies: the stations they serve at.
    pub station_ids: Vec<Uuid>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// The account as `viewer` may see it: the whole phone number only for its owner and admins.
    #[must_use]
    pub fn view(u: infra::db::users::User, viewer: &Actor) -> Self {
        let r = u.row;
        let phone = if may_see_phone(viewer, r.id) {
            r.phone
        } else {
            r.phone
                .map(|p| Phone::parse(&p).map_or_else(|_| "****".to_owned(), |p| p.masked()))
        };
        Self {
            id: r.id,
            role: r.role.parse().unwrap_or(Role::Citizen),
            name: r.name,
            phone,
            region_code: r.region_code,
            agency_id: r.agency_id,
            deputy_level: r.deputy_level.and_then(|l| l.parse().ok()),
            station_ids: u.stations,
            enabled: r.enabled,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Account `id`, if it lies within `scope` (404 otherwise, as if it did not exist): what every operation on one
/// account starts with.
pub async fn in_reach(conn: &mut PgConn, scope: &AdminScope, id: Uuid) -> ApiResult<infra::db::users::User> {
    let user = infra::db::users::find(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    scope.may_see_account(user.region_path.as_ref())?;
    Ok(user)
}

/// A binding turned into columns, after checking that everything it names exists and lies in the caller's scope.
pub struct Resolved {
    pub region_code: Option<String>,
    pub agency_id: Option<Uuid>,
    pub deputy_level: Option<DeputyLevel>,
    pub stations: Vec<Uuid>,
}

pub async fn resolve(conn: &mut PgConn, scope: &AdminScope, binding: Binding) -> ApiResult<Resolved> {
    let none = Resolved {
        region_code: None,
        agency_id: None,
        deputy_level: None,
        stations: vec![],
    };
    match binding {
        Binding::Admin | Binding::Citizen => Ok(none),
        Binding::Staff { region } => {
            let (code, _) = region_in_scope(conn, scope, &region).await?;
            Ok(Resolved {
                region_code: Some(code),
                ..none
            })
        }
        Binding::Deputy {
            region,
            level,
            stations,
        } => {
            let (code, path) = region_in_scope(conn, scope, &region).await?;
            check_stations(conn, &path, &stations).await?;
            Ok(Resolved {
                region_code: Some(code),
                deputy_level: Some(level),
                stations,
                ..none
            })
        }
        Binding::Handler { agency } => {
            let (agency_row, path) = infra::db::agencies::find(conn, agency)
                .await?
                .ok_or_else(|| ApiError::not_found("agency").with_field("agency_id"))?;
            scope
                .may_manage_in(&path)
                .map_err(|d| ApiError::from(d).with_field("agency_id"))?;
            Ok(Resolved {
                region_code: Some(agency_row.row.region_code),
                agency_id: Some(agency),
                ..none
            })
        }
    }
}

async fn region_in_scope(conn: &mut PgConn, scope: &AdminScope, code: &str) -> ApiResult<(String, RegionPath)> {
    let row = crate::app::reach::region_to_manage(conn, scope, code, "region_code").await?;
    let path = row.path();
    Ok((row.code, path))
}

async fn check_stations(conn: &mut PgConn, region: &RegionPath, stations: &[Uuid]) -> ApiResult<()> {
    let found = infra::db::stations::paths(conn, stations).await?;
    check_deputy_stations(region, stations, &found)?;
    Ok(())
}

/// Hashes off the async threads: argon2 is deliberately slow.
pub async fn hash_password(password: domain::organisation::user::Password) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || infra::password::hash(password.expose()))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// Creates an admin account (for `minsheng create-admin`): the same checks as the API, with no caller.
///
/// # Errors
/// A sentence naming what is wrong with the phone, name or password, or that the phone is taken.
pub async fn create_admin(pool: &infra::db::DbPool, phone: &str, name: &str, password: String) -> anyhow::Result<Uuid> {
    use domain::organisation::user::{Password, PersonName, Phone};
    let phone = Phone::parse(phone).map_err(|e| anyhow::anyhow!("--phone {}", e.message))?;
    let name = PersonName::parse(name).map_err(|e| anyhow::anyhow!("--name {}", e.message))?;
    let password = Password::parse(password).map_err(|e| anyhow::anyhow!("password {}", e.message))?;
    let hash = tokio::task::spawn_blocking(move || infra::password::hash(password.expose())).await??;
    let mut conn = infra::db::pool::conn(pool).await?;
    let new = infra::db::users::NewUser {
        id: Uuid::now_v7(),
        role: Role::Admin.as_str(),
        name: name.as_str(),
        phone: Some(phone.as_str()),
        password_hash: Some(&hash),
        region_code: None,
        agency_id: None,
        deputy_level: None,
    };
    match infra::db::users::insert(&mut conn, &new, &[]).await {
        Ok(user) => Ok(user.row.id),
        Err(infra::db::DbError::Duplicate(_)) => {
            anyhow::bail!("an account with phone {} already exists", phone.as_str())
        }
        Err(e) => Err(e.into()),
    }
}
