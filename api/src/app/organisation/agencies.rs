//! Agencies: added in a region of the caller's subtree, changed (name, categories, contact, enabled).

use super::check_categories;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::reach::list_prefix;
use crate::app::reach::region_to_manage;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::organisation::agency::AgencyName;
use domain::permission::AdminScope;
use infra::db::agencies::Agency;
use uuid::Uuid;

/// An agency to add in a region of the caller's subtree, with the codes of the categories it handles.
pub struct NewAgency<'a> {
    pub region_code: &'a str,
    pub name: AgencyName,
    pub category_codes: &'a [String],
}

/// Adds an agency.
///
/// # Errors
/// 404 on `region_code` out of reach; `validation_failed` on a category that does not exist; 409 for a name taken.
pub async fn add<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    new: NewAgency<'_>,
    answer: impl FnOnce(Agency) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, new.region_code, "region_code").await?;
    let categories = check_categories(&mut conn, new.category_codes).await?;
    let (region, name, categories) = (&region.code, &new.name, &categories);
    commit(&mut conn, |conn| {
        async move { Ok(infra::db::agencies::insert(conn, Uuid::now_v7(), region, name.as_str(), categories).await?) }
            .scope_boxed()
    }, answer).await
}

/// What a change to an agency sets; what is left out stays. `contact`: `Some(None)` clears it.
pub struct AgencyChange {
    pub name: Option<AgencyName>,
    pub enabled: Option<bool>,
    pub category_codes: Option<Vec<String>>,
    pub contact: Option<Option<Uuid>>,
}

/// Changes an agency in the caller's reach; its contact must be one of its enabled handlers.
///
/// # Errors
/// 404 for no such agency; 403 for one out of reach; `validation_failed` on `category_codes[i]` or `contact_id`.
pub async fn change(state: &AppState, caller: &Caller, id: Uuid, change: AgencyChange) -> AppResult<Agency> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (current, path) = infra::db::agencies::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("agency"))?;
    scope.may_manage_in(&path)?;
    let categories = match change.category_codes {
        Some(codes) => Some(check_categories(&mut conn, &codes).await?),
        None => None,
    };
    let contact = match change.contact {
        None => current.row.contact_id,
        Some(None) => None,
        Some(Some(user)) => {
            let handlers = infra::db::users::handlers_of(&mut conn, &[current.row.id]).await?;
            if !handlers.contains(&user) {
                return Err(
                    AppError::new(ErrorCode::ValidationFailed, "must be an enabled handler of this agency")
                        .with_field("contact_id"),
                );
            }
            Some(user)
        }
    };
    let name = change
        .name
        .as_ref()
        .map_or(current.row.name.as_str(), AgencyName::as_str);
    let enabled = change.enabled.unwrap_or(current.row.enabled);
    Ok(infra::db::agencies::update(&mut conn, current.row.id, name, enabled, contact, categories.as_deref()).await?)
}

/// The agencies in the caller's reach, or in `region`'s subtree within it, of `category` when named: after `after`,
/// `probe` at most.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 naming `region` outside the caller's reach.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    region: Option<&str>,
    category: Option<&str>,
    after: Option<Uuid>,
    probe: i64,
) -> AppResult<Vec<Agency>> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = list_prefix(&mut conn, &scope, region).await?;
    Ok(infra::db::agencies::list(&mut conn, prefix.as_deref(), category, after, probe).await?)
}

/// Agency `id`, within the caller's reach.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 for an agency unknown or outside their reach.
pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Agency> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (agency, path) = infra::db::agencies::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("agency"))?;
    scope.may_see(&path)?;
    Ok(agency)
}
