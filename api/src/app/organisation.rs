//! The organisation admins and staff keep: regions, categories, agencies, stations, routing rules and the working
//! calendar. Each command checks the caller's reach over the region it touches, then writes in one transaction with
//! its answer kept (`commit`).

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::reach::region_to_manage;
use crate::app::routing::check_agencies;
use crate::app::{commit, transaction, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::issue::calendar::YearCalendar;
use domain::issue::number::NumberPrefix;
use domain::organisation::agency::AgencyName;
use domain::organisation::category::{CategoryCode, CategoryName};
use domain::organisation::region::{NewRegion, RegionCode, RegionLevel, RegionName};
use domain::permission::{may_replace_calendar, AdminScope};
use infra::db::agencies::Agency;
use infra::db::categories::CategoryRow;
use infra::db::regions::RegionRow;
use infra::db::routing::RuleRow;
use infra::db::stations::{StationFields, StationRow};
use infra::db::PgConn;
use uuid::Uuid;

/// Parses the category codes and checks that each exists, naming the first that does not.
///
/// # Errors
/// `validation_failed` at `category_codes[i]`, or on `category_codes` for more than 50.
pub async fn check_categories(conn: &mut PgConn, codes: &[String]) -> AppResult<Vec<String>> {
    if codes.len() > 50 {
        return Err(AppError::new(ErrorCode::ValidationFailed, "at most 50 categories").with_field("category_codes"));
    }
    let mut parsed = Vec::with_capacity(codes.len());
    for (i, c) in codes.iter().enumerate() {
        let code = CategoryCode::parse(c).map_err(|e| e.at(format!("category_codes[{i}]")))?;
        parsed.push(code.as_str().to_owned());
    }
    let existing = infra::db::categories::existing(conn, &parsed).await?;
    if let Some((i, missing)) = parsed.iter().enumerate().find(|(_, c)| !existing.contains(c)) {
        return Err(
            AppError::new(ErrorCode::ValidationFailed, format!("no category `{missing}`"))
                .with_field(format!("category_codes[{i}]")),
        );
    }
    parsed.sort();
    parsed.dedup();
    Ok(parsed)
}

/// The parent `child` is to move under, once the rules of the tree allow it (`domain::organisation::category::
/// check_parent`).
///
/// # Errors
/// 404 on `parent_code` when there is no such category; `validation_failed` when the tree's rules refuse it.
pub async fn check_parent(conn: &mut PgConn, child: &str, has_children: bool, parent: &str) -> AppResult<String> {
    let parent = CategoryCode::parse(parent).map_err(|e| e.at("parent_code"))?;
    let row = infra::db::categories::find(conn, parent.as_str())
        .await?
        .ok_or_else(|| AppError::not_found("parent category").with_field("parent_code"))?;
    domain::organisation::category::check_parent(child, has_children, &parent, row.parent_code.is_none())?;
    Ok(row.code)
}

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
pub async fn add_region<K: Kept + Send>(
    state: &AppState,
    caller: Caller<'_>,
    asked: NewRegionAsked<'_>,
    answer: impl FnOnce(RegionRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(caller.actor)?;
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
pub async fn change_region(
    state: &AppState,
    caller: Caller<'_>,
    code: &str,
    change: RegionChange,
) -> AppResult<RegionRow> {
    let scope = AdminScope::of(caller.actor)?;
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
pub async fn add_category<K: Kept + Send>(
    state: &AppState,
    caller: Caller<'_>,
    new: NewCategory<'_>,
    answer: impl FnOnce(CategoryRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    if new.region_code.is_none() {
        domain::permission::may_manage_categories(caller.actor)?;
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let owner = match new.region_code {
        Some(raw) => {
            let scope = AdminScope::of(caller.actor)?;
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
pub async fn add_agency<K: Kept + Send>(
    state: &AppState,
    caller: Caller<'_>,
    new: NewAgency<'_>,
    answer: impl FnOnce(Agency) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, new.region_code, "region_code").await?;
    let categories = check_categories(&mut conn, new.category_codes).await?;
    let (region, name, categories) = (&region.code, &new.name, &categories);
    commit(&mut conn, |conn| {
        async move { Ok(infra::db::agencies::insert(conn, Uuid::now_v7(), region, name.as_str(), categories).await?) }
            .scope_boxed()
    }, answer).await
}

/// Adds a liaison station; `fields.region_code` is the code as asked, checked to be in the caller's reach.
///
/// # Errors
/// 404 on `region_code` out of reach; 409 for a name taken in the region.
pub async fn add_station<K: Kept + Send>(
    state: &AppState,
    caller: Caller<'_>,
    mut fields: StationFields,
    answer: impl FnOnce(StationRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    fields.region_code = region_to_manage(&mut conn, &scope, &fields.region_code, "region_code")
        .await?
        .code;
    let fields = &fields;
    commit(
        &mut conn,
        |conn| async move { Ok(infra::db::stations::insert(conn, Uuid::now_v7(), fields).await?) }.scope_boxed(),
        answer,
    )
    .await
}

/// A routing rule to add: in a region, issues of a category go to a lead agency, with co-agencies.
pub struct NewRule<'a> {
    pub region_code: &'a str,
    pub category_code: &'a str,
    pub lead_agency_id: Uuid,
    pub co_agency_ids: &'a [Uuid],
}

/// Adds a routing rule.
///
/// # Errors
/// 404 on `region_code` out of reach; `validation_failed` on a category unknown or not offered there, or on an
/// agency that cannot take the region's issues.
pub async fn add_routing_rule<K: Kept + Send>(
    state: &AppState,
    caller: Caller<'_>,
    new: NewRule<'_>,
    answer: impl FnOnce(RuleRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, new.region_code, "region_code").await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    if !reference.has_category(new.category_code) {
        return Err(AppError::rule("category_code", "unknown_category", "no such category"));
    }
    if reference.offered_at(&region.path(), new.category_code).is_none() {
        return Err(AppError::rule(
            "category_code",
            "category_not_offered",
            "this category is not offered in the rule's region",
        ));
    }
    let co = check_agencies(&reference, &region.path(), new.lead_agency_id, new.co_agency_ids)?;
    let (region, category, lead, co) = (&region.code, new.category_code, new.lead_agency_id, &co);
    commit(
        &mut conn,
        |conn| {
            async move { Ok(infra::db::routing::insert_rule(conn, region, category, lead, co).await?) }.scope_boxed()
        },
        answer,
    )
    .await
}

/// Replaces a year of the working calendar (admins).
///
/// # Errors
/// 403 for anyone but an admin.
pub async fn replace_calendar_year(state: &AppState, caller: Caller<'_>, year: &YearCalendar) -> AppResult<()> {
    may_replace_calendar(caller.actor)?;
    let (by, now) = (caller.actor.user_id, state.clock.now());
    let mut conn = infra::db::pool::conn(&state.db).await?;
    transaction(&mut conn, |conn| {
        async move { Ok(infra::db::calendar::replace_year(conn, year, by, now).await?) }.scope_boxed()
    })
    .await
}
