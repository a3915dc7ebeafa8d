//! Settling ballot papers. A cast paper is held (durable at once) and joins the ballot's papers later, in a batch of
//! several, in random order, at a moment drawn at random (`domain::ballot::settles_now`), and every held paper at the
//! close. What stays in `ballot_papers` is then ordered by nothing finer than a batch: no paper's transaction id sits
//! next to its deputy's check-in, and the holding table is vacuumed of the rows that did.

use crate::app::error::{AppError, AppResult};
use crate::state::AppState;
use infra::db::AsyncConnection;

/// Settles the ballots whose held papers are due to settle; `draw` gives a uniform number in 0..1 per ballot.
/// Answers how many papers were settled.
pub async fn settle_due(state: &AppState, mut draw: impl FnMut() -> f64) -> AppResult<usize> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let holding = infra::db::ballots::holding(&mut conn).await?;
    let mut settled = 0;
    for (ballot, held, closes_at) in holding {
        let held = u64::try_from(held).unwrap_or(0);
        if !domain::ballot::settles_now(held, closes_at <= now, draw()) {
            continue;
        }
        settled += conn
            .transaction(async |conn| Ok::<_, AppError>(infra::db::ballots::settle(conn, ballot).await?))
            .await?;
    }
    if settled > 0 {
        infra::db::ballots::vacuum_held(&mut conn).await?;
    }
    Ok(settled)
}
