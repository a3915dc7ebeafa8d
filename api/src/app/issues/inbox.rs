//! What waits for the caller, by reason, per role (the sections are the domain's, `domain::issue::inbox`): staff triage and decide extensions, handlers sign and reply,
//! reporters rate, deputies see their voters' open issues first and take up their stations' new issues; overdue work
//! shows for staff and handlers, and what was urged for handlers.

use super::view::{summary, IssueSummary};
use crate::app::error::AppResult;
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::inbox::{sections, Reason, Waiting};
use domain::issue::warning::Warning;
use domain::issue::IssueScope;
use domain::permission::Actor;
use infra::db::issues::IssueFilter;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Section {
    pub reason: Reason,
    /// The 50 newest at most, oldest first; in `to_triage`, those the content check held (`needs_review`) first.
    pub items: Vec<IssueSummary>,
    /// More wait than are listed.
    pub more: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub sections: Vec<Section>,
}

const SHOWN: i64 = 50;

/// The list a section reads, for `actor`.
fn filter(actor: &Actor, w: &Waiting, now: DateTime<Utc>) -> IssueFilter {
    let mine = Some(actor.user_id);
    IssueFilter {
        statuses: w.statuses.clone(),
        lead_agency: if w.own_agency { actor.agency } else { None },
        reporter: if w.own_reports { mine } else { None },
        from_voters_of: if w.from_voters { mine } else { None },
        pending_extension: w.pending_extension,
        warning: (w.overdue == Some(true)).then_some((Warning::Red, now)),
        not_overdue: (w.overdue == Some(false)).then_some(now),
        urged: w.urged,
        unrated_by: if w.unrated { mine } else { None },
        ..IssueFilter::default()
    }
}

/// What waits for the caller now, section by section.
///
/// # Errors
/// PostgreSQL failing.
pub async fn inbox(state: &AppState, caller: &Caller) -> AppResult<Inbox> {
    let actor = &caller.actor;
    let scope = IssueScope::of(actor)?;
    let now = state.clock.now();
    let (reasons, filters): (Vec<Reason>, Vec<IssueFilter>) = sections(actor.role)
        .into_iter()
        .map(|(reason, waiting)| (reason, filter(actor, &waiting, now)))
        .unzip();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let lists = infra::db::issues::lists(&mut conn, &scope, &filters, SHOWN + 1).await?;
    let sections = reasons
        .into_iter()
        .zip(lists)
        .map(|(reason, mut rows)| {
            let more = rows.len() > usize::try_from(SHOWN).unwrap_or(usize::MAX);
            rows.truncate(usize::try_from(SHOWN).unwrap_or(usize::MAX));
            rows.reverse();
            if matches!(reason, Reason::ToTriage) {
                // What the content check held is read first (the sort is stable: oldest first within each group).
                rows.sort_by_key(|r| !r.row.needs_review);
            }
            Section {
                reason,
                items: rows.into_iter().map(|r| summary(r, now)).collect(),
                more,
            }
        })
        .collect();
    Ok(Inbox { sections })
}
