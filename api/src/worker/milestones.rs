//! The worker's steps on livelihood projects' milestones. Their deadlines are rows of the one deadline table, on the
//! one schedule, claimed by the same lanes as issues' (`supervise`); what differs is the subject: no timeline to
//! chain, and the notices go by the same table (`app::notify::announce_milestone_step`) to the project's agency and
//! the ballot region's staff.

use crate::app::error::AppResult;
use crate::app::issues::command::{entry_at, entry_of};
use crate::app::notify::announce_milestone_step;
use chrono::{DateTime, Utc};
use infra::db::notifications::NewNotification;
use infra::db::projects::MilestoneStep;
use infra::db::PgConn;
use infra::schedule::Entry;

/// What acting on one schedule entry came to — a milestone's step here, an issue deadline's in `supervise`, which
/// hands milestones' entries to [`act`].
pub struct Outcome {
    pub acted: bool,
    pub next: Option<(Entry, DateTime<Utc>)>,
}

/// Acts on a claimed milestone step in the caller's transaction, once: the deadline is locked, and a step that is no
/// longer its next is only rescheduled.
pub async fn act(
    conn: &mut PgConn,
    config: &infra::config::Config,
    entry: Entry,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    let Some(MilestoneStep {
        deadline: d,
        milestone_id,
        milestone,
        planned_on,
        project_id,
        project,
        region_code,
    }) = infra::db::projects::lock_milestone_step(conn, entry.deadline).await?
    else {
        return Ok(Outcome {
            acted: false,
            next: None,
        });
    };
    let due_now = d.next_step() == Some(entry.step) && d.next_at.is_some_and(|at| at <= now);
    let Some(agency) = d.agency_id.filter(|_| due_now) else {
        return Ok(Outcome {
            acted: false,
            next: entry_of(&d),
        });
    };
    let body = format!("{project}：{milestone}（{planned_on}）");
    let key = format!("milestone:{milestone_id}:{}:{}", entry.step, d.due_at.timestamp());
    let note = NewNotification {
        issue_id: None,
        project_id: Some(project_id),
        kind: domain::project::notice_of(entry.step),
        event_key: &key,
        title: domain::project::title_of(entry.step),
        body: &body,
    };
    let region = infra::db::regions::find(conn, &region_code).await?.map(|r| r.path());
    announce_milestone_step(conn, entry.step, agency, region.as_ref(), &note, now).await?;
    let next = domain::project::after(d.timing(), entry.step, config.supervision.again_for(false));
    infra::db::deadlines::set_next_steps(conn, &[(d.id, next)]).await?;
    Ok(Outcome {
        acted: true,
        next: entry_at(d.id, next),
    })
}
