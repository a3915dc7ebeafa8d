//! A citizen as a deputy's voter (选民): following a deputy they met through the deputy's code, leaving, and rating
//! the deputy's year once they have followed long enough.

use crate::app::error::{AppError, AppResult};
use crate::app::people::{deputy, Deputy};
use crate::app::performance::year_of;
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::identity::SceneTarget;
use domain::permission::{may_follow_deputy, may_keep_deputies, may_rate_deputy, may_see_voters};
use domain::scale::Stars;
use uuid::Uuid;

/// A citizen follows a deputy whose code they scanned; done, the deputy and since when (following again keeps the
/// first day).
///
/// # Errors
/// 403 for anyone but a citizen, or one who never scanned the deputy's code; 404 for no such enabled deputy.
pub async fn follow(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<(Deputy, DateTime<Utc>)> {
    may_keep_deputies(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, id).await?;
    if !d.enabled {
        return Err(AppError::not_found("deputy"));
    }
    let voter = caller.actor.user_id;
    let scanned = infra::db::scenes::has_scanned(&mut conn, voter, SceneTarget::Deputy(d.id)).await?;
    may_follow_deputy(&caller.actor, scanned)?;
    let since = infra::db::voters::follow(&mut conn, d.id, voter, state.clock.now()).await?;
    Ok((d, since))
}

/// A citizen stops following a deputy (again is fine).
///
/// # Errors
/// 403 for anyone but a citizen.
pub async fn unfollow(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<()> {
    may_keep_deputies(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    infra::db::voters::unfollow(&mut conn, id, caller.actor.user_id).await?;
    Ok(())
}

/// A voter rates a deputy's year (1–5 stars; again replaces it), once they have followed the deputy long enough.
///
/// # Errors
/// 403 for anyone but a citizen following the deputy long enough; 404 for no such deputy; `validation_failed` on
/// `year`.
pub async fn rate(state: &AppState, caller: &Caller, id: Uuid, year: Option<i32>, stars: Stars) -> AppResult<()> {
    may_keep_deputies(&caller.actor)?;
    let now = state.clock.now();
    let (year, _, _) = year_of(year, now)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, id).await?;
    let voter = caller.actor.user_id;
    let scanned = infra::db::scenes::has_scanned(&mut conn, voter, SceneTarget::Deputy(d.id)).await?;
    let since = infra::db::voters::following_since(&mut conn, d.id, voter).await?;
    may_rate_deputy(&caller.actor, scanned, since, now, state.config.voter_rating_min_follow)?;
    infra::db::performance::rate_deputy(&mut conn, d.id, year, voter, stars.get(), now).await?;
    Ok(())
}

/// The citizens who follow deputy `id` (每名代表联系选民): the deputy and staff over them.
///
/// # Errors
/// 404 for an unknown deputy; 403 for anyone else.
pub async fn of_deputy(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Vec<Uuid>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, id).await?;
    may_see_voters(&caller.actor, d.id, &d.region)?;
    Ok(infra::db::voters::of_deputy(&mut conn, d.id).await?)
}

/// The deputies the caller follows, earliest first, with since when; a deputy gone since is left out.
///
/// # Errors
/// 403 for anyone but citizens.
pub async fn followed(state: &AppState, caller: &Caller) -> AppResult<Vec<(Deputy, DateTime<Utc>)>> {
    may_keep_deputies(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let links = infra::db::voters::followed_by(&mut conn, caller.actor.user_id).await?;
    let mut shown = Vec::with_capacity(links.len());
    for (id, since) in links {
        if let Ok(d) = deputy(&mut conn, id).await {
            shown.push((d, since));
        }
    }
    Ok(shown)
}
