//! 点单 → 定单: a ballot's candidate takes proposals up, and shows the people behind it.

use super::sorting::tell_proposer;
use crate::app::error::AppResult;
use chrono::{DateTime, Utc};
use domain::organisation::region::RegionPath;
use domain::proposal::{may_take_up, ProposalStatus};
use domain::Invalid;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// Where a candidate project came from (群众点单): how many proposals it was taken up from, and how many people
/// proposed or supported them, each once.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct Backing {
    pub proposals: i64,
    pub people: i64,
}

/// What backs each of `projects`: none for a project the government proposed alone.
///
/// # Errors
/// PostgreSQL failing.
pub async fn backing(conn: &mut infra::db::PgConn, projects: &[Uuid]) -> AppResult<HashMap<Uuid, Backing>> {
    Ok(infra::db::proposals::backing(conn, projects)
        .await?
        .into_iter()
        .map(|(id, (proposals, people))| (id, Backing { proposals, people }))
        .collect())
}

/// Takes proposals `ids` up as candidate project `project` of a ballot in `ballot_region`, in the caller's
/// transaction, and tells their proposers; `field` names the list in errors (`candidates[0].proposal_ids`).
///
/// # Errors
/// `validation_failed` on `{field}[j]` for a proposal unknown, not open, or of a round outside the ballot's region.
pub async fn take_up(
    conn: &mut infra::db::PgConn,
    ballot_region: &RegionPath,
    project: Uuid,
    ids: &[Uuid],
    field: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let locked = infra::db::proposals::lock_many(conn, ids).await?;
    for (j, id) in ids.iter().enumerate() {
        let at = || format!("{field}[{j}]");
        let Some((proposal, round, path)) = locked.iter().find(|(p, _, _)| p.id == *id) else {
            return Err(Invalid::new(at(), "unknown", "names no proposal").into());
        };
        let status = proposal.status.parse().unwrap_or(ProposalStatus::Open);
        may_take_up(status, &RegionPath::from_stored(path.clone()), ballot_region)
            .map_err(|why| Invalid::new(at(), "invalid", why))?;
        let taken = infra::db::proposals::take_up(conn, proposal.id, project, now).await?;
        tell_proposer(conn, &taken, round, now).await?;
    }
    Ok(())
}
