//! The worker's steps on livelihood projects' milestones: the same schedule and the same steps as issues' agency
//! deadlines (`domain::project`), told by the same table (`app::notify::announce_milestone_step`) to the project's
//! agency and the ballot region's staff.

use super::supervise::Outcome;
use crate::app::notify::announce_milestone_step;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::warning::Timing;
use infra::db::notifications::NewNotification;
use infra::db::AsyncConnection;
use infra::schedule::Entry;

/// Acts on a claimed milestone step, once: the milestone is locked, and a step that is no longer its next is only
/// rescheduled. `None` when the entry is not a milestone's.
pub async fn act(state: &AppState, entry: Entry, now: DateTime<Utc>) -> ApiResult<Option<Outcome>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let again = state.config.supervision.again_for(false);
    conn.transaction(async |conn| {
        let Some((m, project, agency, region_code)) =
            infra::db::projects::lock_open_milestone(conn, entry.deadline).await?
        else {
            return Ok(None);
        };
        let (Some(due_at), Some(warn_at), Some(started_at)) = (m.due_at, m.warn_at, m.started_at) else {
            return Ok(Some(Outcome {
                acted: false,
                next: None,
            }));
        };
        let timing = Timing {
            due_at,
            warn_at,
            next: m.next_step.as_deref().and_then(|s| s.parse().ok()).zip(m.next_at),
        };
        let entry_of = |t: Timing| t.next.map(|(step, at)| (Entry { deadline: m.id, step }, at));
        if timing.next.is_none_or(|(step, at)| step != entry.step || at > now) {
            return Ok(Some(Outcome {
                acted: false,
                next: entry_of(timing),
            }));
        }
        let body = format!("{project}：{}（{}）", m.title, m.planned_on);
        let key = format!("milestone:{}:{}:{}", m.id, entry.step, due_at.timestamp());
        let note = NewNotification {
            issue_id: None,
            kind: domain::project::notice_of(entry.step),
            event_key: &key,
            title: domain::project::title_of(entry.step),
            body: &body,
        };
        let region = infra::db::regions::find(conn, &region_code).await?.map(|r| r.path());
        announce_milestone_step(conn, entry.step, agency, region.as_ref(), &note, now).await?;
        let next = domain::project::after(timing, entry.step, again);
        infra::db::projects::time_milestone(conn, m.id, started_at, next).await?;
        Ok::<_, ApiError>(Some(Outcome {
            acted: true,
            next: entry_of(next),
        }))
    })
    .await
}
