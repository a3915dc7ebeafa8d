//! Accounts of admins, staff, deputies and handlers (citizens arrive through WeChat): opening one with what it is
//! bound to, changing it, and the first admin an operator makes.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::reach::list_prefix;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::organisation::region::RegionPath;
use domain::organisation::user::{check_deputy_stations, Binding, Password, PersonName, Phone, SessionEnd};
use domain::permission::{may_disable, AdminScope};
use domain::role::{DeputyLevel, Role};
use infra::db::users::UserFilter;
use infra::db::users::{NewUser, User, UserChanges};
use infra::db::PgConn;
use uuid::Uuid;

/// Account `id`, if it lies within `scope` (404 otherwise, as if it did not exist): what every operation on one
/// account starts with.
pub async fn in_reach(conn: &mut PgConn, scope: &AdminScope, id: Uuid) -> AppResult<User> {
    let user = infra::db::users::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
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

pub async fn resolve(conn: &mut PgConn, scope: &AdminScope, binding: Binding) -> AppResult<Resolved> {
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
                .ok_or_else(|| AppError::not_found("agency").with_field("agency_id"))?;
            scope
                .may_manage_in(&path)
                .map_err(|d| AppError::from(d).with_field("agency_id"))?;
            Ok(Resolved {
                region_code: Some(agency_row.row.region_code),
                agency_id: Some(agency),
                ..none
            })
        }
    }
}

async fn region_in_scope(conn: &mut PgConn, scope: &AdminScope, code: &str) -> AppResult<(String, RegionPath)> {
    let row = crate::app::reach::region_to_manage(conn, scope, code, "region_code").await?;
    let path = row.path();
    Ok((row.code, path))
}

pub async fn check_stations(conn: &mut PgConn, region: &RegionPath, stations: &[Uuid]) -> AppResult<()> {
    let found = infra::db::stations::paths(conn, stations).await?;
    check_deputy_stations(region, stations, &found)?;
    Ok(())
}

/// Hashes off the async threads: argon2 is deliberately slow.
pub async fn hash_password(password: domain::organisation::user::Password) -> AppResult<String> {
    tokio::task::spawn_blocking(move || infra::password::hash(password.expose()))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// Creates an admin account (for `minsheng create-admin`): the same checks as the API, with no caller.
///
/// # Errors
/// A sentence naming what is wrong with the phone, name or password, or that the phone is taken.
pub async fn create_admin(pool: &infra::db::DbPool, phone: &str, name: &str, password: String) -> anyhow::Result<Uuid> {
    let phone = Phone::parse(phone).map_err(|e| anyhow::anyhow!("--phone {}", e.message))?;
    let name = PersonName::parse(name).map_err(|e| anyhow::anyhow!("--name {}", e.message))?;
    let password = Password::parse(password).map_err(|e| anyhow::anyhow!("password {}", e.message))?;
    let hash = hash_password(password).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
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

/// An account to open: who, with what password, bound to what (a region, an agency, a deputy's stations).
pub struct NewAccount {
    pub role: Role,
    pub name: PersonName,
    pub phone: Phone,
    pub password: Password,
    pub binding: Binding,
}

/// Opens an account within the caller's scope, for a role they may grant.
///
/// # Errors
/// 403 for a role the caller may not grant; 404 on what the binding names out of reach; 409 for a phone taken.
pub async fn add<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    new: NewAccount,
    answer: impl FnOnce(User) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
    scope.may_grant(new.role)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let resolved = resolve(&mut conn, &scope, new.binding).await?;
    let hash = hash_password(new.password).await?;
    let row = NewUser {
        id: Uuid::now_v7(),
        role: new.role.as_str(),
        name: new.name.as_str(),
        phone: Some(new.phone.as_str()),
        password_hash: Some(&hash),
        region_code: resolved.region_code.as_deref(),
        agency_id: resolved.agency_id,
        deputy_level: resolved.deputy_level.map(DeputyLevel::as_str),
    };
    let (row, stations, by) = (&row, &resolved.stations, caller.actor.user_id);
    commit(
        &mut conn,
        |conn| {
            async move {
                let user = infra::db::users::insert(conn, row, stations).await?;
                tracing::info!(user_id = %user.row.id, role = %row.role, by = %by, "account created");
                Ok(user)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// What a change to an account sets; what is left out stays. Role and region are fixed: a person taking another
/// role gets another account.
pub struct AccountChange {
    pub name: Option<PersonName>,
    pub phone: Option<Phone>,
    pub password: Option<Password>,
    pub enabled: Option<bool>,
    pub deputy_level: Option<DeputyLevel>,
    pub station_ids: Option<Vec<Uuid>>,
}

/// Changes an account; a new password, a new phone or disabling it ends every session it has open, in the same
/// statement.
///
/// # Errors
/// 404 for an account out of scope; 403 for a change the caller may not make (disabling themselves included); 409
/// for an erased account or a phone taken; `validation_failed` for deputies' fields on another role.
pub async fn change(state: &AppState, caller: &Caller, id: Uuid, change: AccountChange) -> AppResult<User> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let current = in_reach(&mut conn, &scope, id).await?;
    let role: Role = current.row.role.parse().map_err(AppError::internal)?;
    let only_enabled = change.name.is_none()
        && change.phone.is_none()
        && change.password.is_none()
        && change.deputy_level.is_none()
        && change.station_ids.is_none();
    scope.may_change(role, only_enabled)?;
    if change.enabled == Some(false) {
        may_disable(&caller.actor, current.row.id)?;
    }
    if current.row.erased_at.is_some() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "this account was erased by its owner and cannot change",
        ));
    }
    if role != Role::Deputy {
        let only_deputies = |field: &str| {
            AppError::new(ErrorCode::ValidationFailed, format!("only deputies have {field}"))
                .with_field(field.to_owned())
        };
        if change.deputy_level.is_some() {
            return Err(only_deputies("deputy_level"));
        }
        if change.station_ids.is_some() {
            return Err(only_deputies("station_ids"));
        }
    }
    let stations = change
        .station_ids
        .map(domain::organisation::user::deputy_stations)
        .transpose()?;
    if let Some(stations) = &stations {
        let region = current
            .region_path
            .as_ref()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("deputy without region")))?;
        check_stations(&mut conn, region, stations).await?;
    }
    let hash = match change.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let changes = UserChanges {
        name: change.name.as_ref().map(PersonName::as_str),
        phone: change.phone.as_ref().map(Phone::as_str),
        password_hash: hash.as_deref(),
        enabled: change.enabled,
        deputy_level: change.deputy_level.map(DeputyLevel::as_str),
    };
    let phone_changed = change
        .phone
        .as_ref()
        .is_some_and(|p| current.row.phone.as_deref() != Some(p.as_str()));
    let ends = SessionEnd::of_change(hash.is_some(), phone_changed, change.enabled);
    let user = infra::db::users::update(&mut conn, current.row.id, &changes, stations.as_deref(), ends).await?;
    tracing::info!(user_id = %user.row.id, by = %caller.actor.user_id, "account changed");
    Ok(user)
}

/// Ends every session of an account in the caller's scope (its holder signs in again); done, how many ended.
///
/// # Errors
/// 404 for an account out of scope; 403 for a role whose sessions the caller may not end.
pub async fn end_sessions(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<usize> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = in_reach(&mut conn, &scope, id).await?;
    let role: Role = user.row.role.parse().map_err(AppError::internal)?;
    scope.may_end_sessions(role)?;
    let revoked = infra::db::sessions::Revoked::EndedByAdministrator;
    let ended = infra::db::sessions::revoke_all(&mut conn, user.row.id, revoked).await?;
    tracing::info!(user_id = %user.row.id, by = %caller.actor.user_id, ended, "sessions ended by an administrator");
    Ok(ended)
}

/// The accounts in the caller's reach, or in `region`'s subtree within it, as `filter` narrows them (its
/// `path_prefix` is set here): `probe` at most.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 naming `region` outside the caller's reach.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    region: Option<&str>,
    filter: UserFilter<'_>,
    probe: i64,
) -> AppResult<Vec<User>> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = list_prefix(&mut conn, &scope, region).await?;
    let filter = UserFilter {
        path_prefix: prefix.as_deref(),
        ..filter
    };
    Ok(infra::db::users::list(&mut conn, &filter, probe).await?)
}

/// Account `id`, within the caller's reach.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 for an account unknown or outside their reach.
pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<User> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    in_reach(&mut conn, &scope, id).await
}
