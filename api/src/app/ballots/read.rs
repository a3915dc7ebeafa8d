//! Ballots read: the list, one ballot as the caller stands to it, and whether a receipt's paper was counted.

use super::{found, phase_of, results_of, standing, view, Ballot, Results};
use crate::app::error::AppResult;
use crate::app::reach::list_prefix;
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::ballot::Phase;
use domain::permission::AdminScope;
use domain::role::Role;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A ballot in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct BallotSummary {
    pub id: Uuid,
    pub region_code: String,
    pub title: String,
    pub session: String,
    pub seats: i32,
    pub phase: Phase,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub roster_size: i32,
    pub closed_at: Option<DateTime<Utc>>,
    /// `election`, or `evaluation` (满意度测评).
    #[schema(example = "election")]
    pub kind: String,
}

/// Ballots, latest opening first, `limit` at most: a deputy's are those they are on the roster of; staff see their
/// subtree's, or `region`'s.
///
/// # Errors
/// 403 for citizens and handlers; 404 for a region outside the caller's reach.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    region: Option<&str>,
    limit: i64,
) -> AppResult<Vec<BallotSummary>> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = if caller.actor.role == Role::Deputy {
        infra::db::ballots::list(&mut conn, None, Some(caller.actor.user_id), limit).await?
    } else {
        let scope = AdminScope::of(&caller.actor)?;
        let prefix = list_prefix(&mut conn, &scope, region).await?;
        infra::db::ballots::list(&mut conn, prefix.as_deref(), None, limit).await?
    };
    Ok(rows
        .into_iter()
        .map(|b| BallotSummary {
            phase: phase_of(&b, now),
            id: b.id,
            region_code: b.region_code,
            title: b.title,
            session: b.session,
            seats: b.seats,
            opens_at: b.opens_at,
            closes_at: b.closes_at,
            roster_size: b.roster_size,
            closed_at: b.closed_at,
            kind: b.kind,
        })
        .collect())
}

/// Ballot `id` as the caller stands to it.
///
/// # Errors
/// 404 for an unknown ballot, and for one the caller neither administers nor is on the roster of.
pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Ballot> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, id).await?;
    let standing = standing(&mut conn, &caller.actor, &ballot).await?;
    view(&mut conn, ballot, &standing, state.clock.now()).await
}

/// Whether a paper with `receipt` (20 hexadecimal digits, lower case) is among ballot `id`'s papers.
///
/// # Errors
/// 404 for an unknown ballot.
pub async fn counted(state: &AppState, id: Uuid, receipt: &str) -> AppResult<bool> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, id).await?;
    let digest = infra::ballot_key::digest(receipt.as_bytes());
    Ok(infra::db::ballots::counted(&mut conn, ballot.id, &digest).await?)
}

/// Ballot `id`'s results, once it has closed (anyone reads them).
///
/// # Errors
/// 404 for an unknown ballot; 409 for one still open.
pub async fn results(state: &AppState, id: Uuid) -> AppResult<Results> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    results_of(&mut conn, id).await
}
