//! Categories: for everyone (admins) or a region's own (its staff), changed, and offered per area.

use super::check_parent;
use crate::app::error::{AppError, AppResult};
use crate::app::reach::region_to_manage;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::organisation::category::{CategoryCode, CategoryName};
use domain::organisation::region::RegionPath;
use domain::permission::AdminScope;
use infra::db::categories::CategoryRow;
use infra::db::reference::Reference;
use std::collections::HashMap;

/// A category to add: for everyone (admins), or a region's own (staff of it).
pub struct NewCategory<'a> {
    pub code: CategoryCode,
    pub name: CategoryName,
    pub parent_code: Option<&'a str>,
    pub region_code: Option<&'a str>,
}

/// Adds a category, for every area or as a region's own.
///
/// # Errors
/// 403 for staff adding one for everyone; 404 on `region_code` out of reach or on `parent_code`; 409 for a code or a
/// name taken.
pub async fn add<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    new: NewCategory<'_>,
    answer: impl FnOnce(CategoryRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    if new.region_code.is_none() {
        domain::permission::may_manage_categories(&caller.actor)?;
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let owner = match new.region_code {
        Some(raw) => {
            let scope = AdminScope::of(&caller.actor)?;
            Some(region_to_manage(&mut conn, &scope, raw, "region_code").await?.code)
        }
        None => None,
    };
    let parent = match new.parent_code {
        Some(p) => Some(check_parent(&mut conn, new.code.as_str(), false, p).await?),
        None => None,
    };
    let (code, name, parent, owner) = (&new.code, &new.name, parent.as_deref(), owner.as_deref());
    commit(
        &mut conn,
        |conn| {
            async move { Ok(infra::db::categories::insert(conn, code.as_str(), name.as_str(), parent, owner).await?) }
                .scope_boxed()
        },
        answer,
    )
    .await
}

/// What a change to a category sets: a new name, a new parent (`Some(None)`: none, it becomes a top category).
pub struct CategoryChange {
    pub name: Option<CategoryName>,
    pub parent_code: Option<Option<String>>,
}

/// Changes a category (admins).
///
/// # Errors
/// 403 for anyone but an admin; 404 for no such category or on `parent_code`; `validation_failed` when the tree's
/// rules refuse the parent.
pub async fn change(state: &AppState, caller: &Caller, code: &str, change: CategoryChange) -> AppResult<CategoryRow> {
    domain::permission::may_manage_categories(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let current = infra::db::categories::find(&mut conn, code)
        .await?
        .ok_or_else(|| AppError::not_found("category"))?;
    let parent = match change.parent_code {
        Some(Some(p)) => {
            let has_children = infra::db::categories::has_children(&mut conn, &current.code).await?;
            Some(Some(check_parent(&mut conn, &current.code, has_children, &p).await?))
        }
        Some(None) => Some(None),
        None => None,
    };
    let name = change.name.as_ref().map(CategoryName::as_str);
    Ok(infra::db::categories::update(&mut conn, &current.code, name, parent.as_ref().map(Option::as_deref)).await?)
}

/// Whether `category` is another region's own, offered only in that region's subtree, which does not hold `path`:
/// then it is not for `path`'s region to see or offer.
fn owned_elsewhere(reference: &Reference, category: &CategoryRow, path: &RegionPath) -> bool {
    category
        .region_code
        .as_deref()
        .and_then(|c| reference.region(c))
        .is_some_and(|owner| !owner.covers(path))
}

/// A category as a region offers it: whether it is offered there, by what name, and what the region itself set.
pub struct OfferedHere {
    pub category: CategoryRow,
    pub offered: bool,
    pub local_name: String,
    pub set_here: Option<(bool, Option<String>)>,
}

/// Every category and how the region `code` offers it; another region's own categories are left out.
///
/// # Errors
/// 404 on `code` for a region out of reach; `validation_failed` for a malformed code.
pub async fn offered_in(state: &AppState, caller: &Caller, code: &str) -> AppResult<Vec<OfferedHere>> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, code, "code").await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let rows = infra::db::categories::list(&mut conn, None, None, 1000).await?;
    let here = infra::db::categories::areas_of(&mut conn, &region.code).await?;
    let path = region.path();
    Ok(rows
        .into_iter()
        .filter(|row| !owned_elsewhere(&reference, row, &path))
        .map(|row| {
            let offered = reference.offered_at(&path, &row.code).map(str::to_owned);
            let set_here = here
                .iter()
                .find(|a| a.category_code == row.code)
                .map(|a| (a.offered, a.name.clone()));
            OfferedHere {
                offered: offered.is_some(),
                local_name: offered.unwrap_or_else(|| row.name.clone()),
                set_here,
                category: row,
            }
        })
        .collect())
}

/// A region offers a category in its subtree, or stops, or names it its own way (`name`: none keeps the name from
/// above); done, what the region now sets.
///
/// # Errors
/// 404 on `code` for a region out of reach, on `category` for none or another region's own.
pub async fn set_offer(
    state: &AppState,
    caller: &Caller,
    (code, category): (&str, &str),
    offered: bool,
    name: Option<CategoryName>,
) -> AppResult<(bool, Option<String>)> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, code, "code").await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let found = infra::db::categories::find(&mut conn, category)
        .await?
        .filter(|found| !owned_elsewhere(&reference, found, &region.path()))
        .ok_or_else(|| AppError::not_found("category").with_field("category"))?;
    let name = name.as_ref().map(CategoryName::as_str);
    let now = state.clock.now();
    let row = infra::db::categories::set_area(&mut conn, &region.code, &found.code, offered, name, now).await?;
    Ok((row.offered, row.name))
}

/// Category `code` (anyone signed in reads the categories).
///
/// # Errors
/// 404 for an unknown category.
pub async fn get(state: &AppState, code: &str) -> AppResult<CategoryRow> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    infra::db::categories::find(&mut conn, code)
        .await?
        .ok_or_else(|| AppError::not_found("category"))
}

/// Categories by code, after `after`, `probe` at most (children of `parent` when named); and, where a place is asked
/// for (`region`, or `station`'s region), the names those of them offered there go by — those not in it are not
/// offered there.
///
/// # Errors
/// 404 naming `region` or `station` when unknown.
pub async fn list(
    state: &AppState,
    parent: Option<&str>,
    after: Option<&str>,
    probe: i64,
    region: Option<&str>,
    station: Option<uuid::Uuid>,
) -> AppResult<(Vec<CategoryRow>, Option<HashMap<String, String>>)> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = infra::db::categories::list(&mut conn, parent, after, probe).await?;
    let region = crate::app::reach::region_filter(&mut conn, region).await?;
    if region.is_none() && station.is_none() {
        return Ok((rows, None));
    }
    let reference = state.reference.current(&mut conn).await?;
    let place = match station {
        Some(station) => reference
            .station(station)
            .map(|s| s.path.clone())
            .ok_or_else(|| AppError::not_found("station").with_field("station"))?,
        None => RegionPath::from_stored(region.unwrap_or_default()),
    };
    let offered = rows
        .iter()
        .filter_map(|c| Some((c.code.clone(), reference.offered_at(&place, &c.code)?.to_owned())))
        .collect();
    Ok((rows, Some(offered)))
}
