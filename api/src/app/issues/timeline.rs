//! An issue's timeline as the caller may read it, and the check of its hash chain.

use super::load::timeline_beside;
use super::view::{event_view, TimelineEvent};
use crate::app::door::Holder;
use crate::app::error::AppResult;
use crate::state::AppState;
use domain::issue::timeline::{verify as check, StoredEvent, Verdict};
use domain::role::Role;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Issue `id`'s events as the caller sees them: internal ones for those who see them; an anonymous reporter, and
/// other citizens for those who may not see them, unnamed.
///
/// # Errors
/// 401 for a token that does not hold; 404 for an issue unknown or not the caller's to see.
pub async fn timeline(state: &AppState, holder: Holder, id: Uuid) -> AppResult<Vec<TimelineEvent>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    // The caller is read beside the issue and its events: one wait on the database.
    let (admitted, loaded, rows) = timeline_beside(&conn, holder, id).await?;
    let actor = &admitted.actor;
    let sees_internal = loaded.relations.sees_internal();
    let hide_reporter = !loaded.relations.sees_reporter(loaded.row.anonymous);
    let sees_citizens = loaded.relations.sees_other_citizens();
    let mut actors: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_id).collect();
    actors.sort();
    actors.dedup();
    let people = infra::db::users::people(&mut conn, &actors).await?;
    let events: Vec<TimelineEvent> = rows
        .into_iter()
        .filter(|r| sees_internal || !r.internal)
        .map(|r| {
            let masked = (hide_reporter && r.actor_id == Some(loaded.row.reporter_id))
                || (!sees_citizens
                    && r.actor_role.as_deref() == Some(Role::Citizen.as_str())
                    && r.actor_id != Some(actor.user_id));
            event_view(actor, r, &people, masked)
        })
        .collect();
    Ok(events)
}

/// Whether the timeline is as it was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    pub intact: bool,
    /// How many events were checked.
    pub events: usize,
    /// The newest event's hash (hex) when intact: keep it to prove later that nothing before it changed.
    pub head: Option<String>,
    /// The first event that does not fit, when broken.
    pub first_broken_seq: Option<i32>,
    pub reason: Option<String>,
}

/// Recomputes issue `id`'s hash chain (internal events included) and says whether every event is as recorded.
///
/// # Errors
/// As `timeline`.
pub async fn verify(state: &AppState, holder: Holder, id: Uuid) -> AppResult<Verification> {
    let conn = infra::db::pool::conn(&state.db).await?;
    // The caller is read beside the issue and its events: one wait on the database.
    let (_, loaded, rows) = timeline_beside(&conn, holder, id).await?;
    let stored: Vec<StoredEvent<'_>> = rows
        .iter()
        .map(|r| StoredEvent {
            content: r.content(),
            prev_hash: &r.prev_hash,
            hash: &r.hash,
        })
        .collect();
    Ok(match check(&stored, loaded.row.last_seq) {
        Verdict::Intact { events, head } => Verification {
            intact: true,
            events,
            head: Some(infra::encoding::hex(&head)),
            first_broken_seq: None,
            reason: None,
        },
        Verdict::Broken { seq, reason } => Verification {
            intact: false,
            events: rows.len(),
            head: None,
            first_broken_seq: Some(seq),
            reason: Some(reason.to_owned()),
        },
    })
}
