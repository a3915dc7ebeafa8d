//! The organisation admins and staff keep: regions, categories, agencies, stations, routing rules and the working
//! calendar. Each command checks the caller's reach over the region it touches, then writes in one transaction with
//! its answer kept (`commit`).

pub mod agencies;
pub mod categories;
pub mod regions;
pub mod routing;
pub mod stations;

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::{transaction, Caller, ScopedFutureExt};
use crate::state::AppState;
use domain::issue::calendar::YearCalendar;
use domain::organisation::category::CategoryCode;
use domain::permission::may_replace_calendar;
use infra::db::PgConn;

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

/// Replaces a year of the working calendar (admins).
///
/// # Errors
/// 403 for anyone but an admin.
pub async fn replace_calendar_year(state: &AppState, caller: &Caller, year: &YearCalendar) -> AppResult<()> {
    may_replace_calendar(&caller.actor)?;
    let (by, now) = (caller.actor.user_id, state.clock.now());
    let mut conn = infra::db::pool::conn(&state.db).await?;
    transaction(&mut conn, |conn| {
        async move { Ok(infra::db::calendar::replace_year(conn, year, by, now).await?) }.scope_boxed()
    })
    .await
}

/// A year of the working calendar: where it came from (`shipped`, `admin`, or `None` when not loaded) and its days.
///
/// # Errors
/// PostgreSQL failing.
pub async fn calendar_year(
    state: &AppState,
    year: i32,
) -> AppResult<(Option<String>, Vec<domain::issue::calendar::CalendarDay>)> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(infra::db::calendar::year(&mut conn, year).await?)
}
