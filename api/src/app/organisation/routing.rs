//! Routing rules (which agency a category's issues in a region go to) and deadline policies, kept by staff and
//! admins.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::reach::list_prefix;
use crate::app::reach::region_to_manage;
use crate::app::routing::check_agencies;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::issue::deadline::{DeadlinePolicy, Span};
use domain::permission::AdminScope;
use infra::db::routing::{PolicyRow, RuleRow};
use uuid::Uuid;

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
pub async fn add_rule<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    new: NewRule<'_>,
    answer: impl FnOnce(RuleRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
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

/// Changes a routing rule's agencies (the region and category are what the rule is; another of them is another rule).
///
/// # Errors
/// 404 for no such rule; 403 for one out of reach; `validation_failed` for an agency that cannot take its issues.
pub async fn change_rule(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    lead: Option<Uuid>,
    co: Option<Vec<Uuid>>,
) -> AppResult<RuleRow> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (rule, path) = infra::db::routing::find_rule(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("routing rule"))?;
    scope.may_manage_in(&path)?;
    let lead = lead.unwrap_or(rule.lead_agency_id);
    let co = co.unwrap_or(rule.co_agency_ids);
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let co = check_agencies(&reference, &path, lead, &co)?;
    Ok(infra::db::routing::update_rule(&mut conn, id, lead, &co, state.clock.now()).await?)
}

/// Sets the deadline policy for a region and a category (either left out: every one); a policy for every region is
/// an admin's.
///
/// # Errors
/// 403 on `region_code` for staff setting one for every region; 404 on `region_code` out of reach;
/// `validation_failed` on a span or an unknown `category_code`.
pub async fn put_policy(
    state: &AppState,
    caller: &Caller,
    (region_code, category_code): (Option<&str>, Option<&str>),
    policy: &DeadlinePolicy,
) -> AppResult<PolicyRow> {
    let scope = AdminScope::of(&caller.actor)?;
    for (field, span) in [
        ("policy.sign", policy.sign),
        ("policy.reply", policy.reply),
        ("policy.reply_complex", policy.reply_complex),
        ("policy.rereply", policy.rereply),
        ("policy.suggestion", policy.suggestion),
        ("policy.rate", policy.rate),
    ] {
        Span::parse(&format!("{field}.count"), i64::from(span.count), span.unit)?;
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = match region_code {
        Some(code) => Some(region_to_manage(&mut conn, &scope, code, "region_code").await?.code),
        None => {
            scope.may_create_root_region().map_err(|_| {
                AppError::new(ErrorCode::Forbidden, "only admins set policies for every region")
                    .with_field("region_code")
            })?;
            None
        }
    };
    if let Some(code) = category_code {
        if infra::db::categories::find(&mut conn, code).await?.is_none() {
            return Err(AppError::rule("category_code", "unknown_category", "no such category"));
        }
    }
    let now = state.clock.now();
    Ok(infra::db::routing::upsert_policy(&mut conn, region.as_deref(), category_code, policy, now).await?)
}

/// The routing rules in the caller's reach, or in `region`'s subtree within it: after `after`, `probe` at most.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 naming `region` outside the caller's reach.
pub async fn rules(
    state: &AppState,
    caller: &Caller,
    region: Option<&str>,
    after: Option<Uuid>,
    probe: i64,
) -> AppResult<Vec<RuleRow>> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = list_prefix(&mut conn, &scope, region).await?;
    Ok(infra::db::routing::list_rules(&mut conn, prefix.as_deref(), after, probe).await?)
}

/// Every deadline policy kept (staff and admins read them all: they apply by region and category everywhere).
///
/// # Errors
/// 403 for anyone but staff and admins.
pub async fn policies(state: &AppState, caller: &Caller) -> AppResult<Vec<PolicyRow>> {
    AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(infra::db::routing::list_policies(&mut conn).await?)
}
