//! Regions: added under a parent in the caller's subtree, renamed, given their issue numbers' prefix.

use crate::app::error::{AppError, AppResult};
use crate::app::{commit, transaction, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::issue::number::NumberPrefix;
use domain::organisation::region::{NewRegion, RegionCode, RegionLevel, RegionName};
use domain::permission::AdminScope;
use infra::db::regions::RegionFilter;
use infra::db::regions::RegionRow;

/// A region to add: its code, name and level, under a parent (none for a root, which only admins add).
pub struct NewRegionAsked<'a> {
    pub code: RegionCode,
    pub name: RegionName,
    pub level: RegionLevel,
    pub parent_code: Option<&'a str>,
}

/// Adds a region within the caller's subtree.
///
/// # Errors
/// 404 on `parent_code` for a parent out of sight; 403 for one the caller may not manage; 409 for a code taken.
pub async fn add<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    asked: NewRegionAsked<'_>,
    answer: impl FnOnce(RegionRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let new = match asked.parent_code {
        None => {
            scope.may_create_root_region()?;
            NewRegion::place(asked.code, asked.name, asked.level, None)?
        }
        Some(parent) => {
            let parent_code = RegionCode::parse(parent).map_err(|e| e.at("parent_code"))?;
            let parent = infra::db::regions::find(&mut conn, parent_code.as_str())
                .await?
                .ok_or_else(|| AppError::not_found("parent region").with_field("parent_code"))?;
            scope
                .may_see(&parent.path())
                .map_err(|d| AppError::from(d).with_field("parent_code"))?;
            let parent_level = parent.level.parse().map_err(AppError::internal)?;
            let place = Some((&parent_code, parent_level, &parent.path()));
            let new = NewRegion::place(asked.code, asked.name, asked.level, place)?;
            scope.may_manage_region(&new.path)?;
            new
        }
    };
    let new = &new;
    commit(
        &mut conn,
        |conn| {
            async move {
                let row = infra::db::regions::insert(conn, new).await?;
                tracing::info!(code = %row.code, "region created");
                Ok(row)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// What a region's change sets: a new name, and its issue numbers' prefix (`Some(None)` clears it).
pub struct RegionChange {
    pub name: Option<RegionName>,
    pub issue_prefix: Option<Option<NumberPrefix>>,
}

/// Renames a region or sets its issue numbers' prefix; answers it as it now stands.
///
/// # Errors
/// 404 for a region out of sight; 403 for one the caller may not manage.
pub async fn change(state: &AppState, caller: &Caller, code: &str, change: RegionChange) -> AppResult<RegionRow> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::regions::find(&mut conn, code)
        .await?
        .ok_or_else(|| AppError::not_found("region"))?;
    scope.may_manage_region(&row.path())?;
    let (code, change) = (&row.code, &change);
    transaction(&mut conn, |conn| {
        async move {
            if let Some(prefix) = &change.issue_prefix {
                let prefix = prefix.as_ref().map(NumberPrefix::as_str);
                infra::db::regions::set_issue_prefix(conn, code, prefix).await?;
            }
            match &change.name {
                Some(name) => Ok(infra::db::regions::rename(conn, code, name.as_str()).await?),
                None => infra::db::regions::find(conn, code)
                    .await?
                    .ok_or_else(|| AppError::not_found("region")),
            }
        }
        .scope_boxed()
    })
    .await
}

/// Region `code`, within the caller's reach.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 for a region unknown or outside their reach.
pub async fn get(state: &AppState, caller: &Caller, code: &str) -> AppResult<RegionRow> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::regions::find(&mut conn, code)
        .await?
        .ok_or_else(|| AppError::not_found("region"))?;
    scope.may_see(&row.path())?;
    Ok(row)
}

/// The regions in the caller's reach that `filter` names (its `path_prefix` is set here), `probe` at most.
///
/// # Errors
/// 403 for anyone but staff and admins.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    filter: RegionFilter<'_>,
    probe: i64,
) -> AppResult<Vec<RegionRow>> {
    let scope = AdminScope::of(&caller.actor)?;
    let filter = RegionFilter {
        path_prefix: scope.path_prefix(),
        ..filter
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(infra::db::regions::list(&mut conn, &filter, probe).await?)
}
