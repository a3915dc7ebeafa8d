//! What waits for the caller, by reason, per role: staff triage and decide extensions, handlers sign and reply,
//! reporters rate, deputies take up their stations' new issues; overdue work shows for staff and handlers.

use crate::error::ApiResult;
use crate::extract::AuthUser;
use crate::handlers::issues::{summaries, IssueSummary};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use domain::issue::{IssueScope, Status};
use domain::role::Role;
use infra::db::issues::IssueFilter;
use serde::Serialize;
use utoipa::ToSchema;

/// Why something waits for the caller.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    ToTriage,
    ToRoute,
    ToDecide,
    ToSign,
    ToReply,
    ToRate,
    Overdue,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Section {
    pub reason: Reason,
    /// The 50 newest at most, oldest first.
    pub items: Vec<IssueSummary>,
    /// More wait than are listed.
    pub more: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub sections: Vec<Section>,
}

const SHOWN: i64 = 50;

/// What waits for the caller now.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    responses((status = 200, body = Inbox))
)]
#[get("/inbox")]
pub async fn inbox(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let actor = &auth.actor;
    let scope = IssueScope::of(actor)?;
    let statuses = |s: &[Status]| s.iter().map(|s| s.as_str().to_owned()).collect::<Vec<_>>();
    let mut wanted: Vec<(Reason, IssueFilter)> = Vec::new();
    let now = Utc::now();
    match actor.role {
        Role::Admin | Role::Staff => {
            wanted.push((
                Reason::ToTriage,
                IssueFilter {
                    statuses: statuses(&[Status::Submitted]),
                    ..Default::default()
                },
            ));
            wanted.push((
                Reason::ToRoute,
                IssueFilter {
                    statuses: statuses(&[Status::Accepted, Status::Reopened]),
                    ..Default::default()
                },
            ));
            wanted.push((
                Reason::ToDecide,
                IssueFilter {
                    pending_extension: true,
                    ..Default::default()
                },
            ));
            wanted.push((
                Reason::Overdue,
                IssueFilter {
                    overdue_at: Some(now),
                    ..Default::default()
                },
            ));
        }
        Role::Handler => {
            let lead_agency = actor.agency;
            wanted.push((
                Reason::ToSign,
                IssueFilter {
                    statuses: statuses(&[Status::Routed]),
                    lead_agency,
                    ..Default::default()
                },
            ));
            wanted.push((
                Reason::ToReply,
                IssueFilter {
                    statuses: statuses(&[Status::Signed, Status::InProgress]),
                    lead_agency,
                    ..Default::default()
                },
            ));
            wanted.push((
                Reason::Overdue,
                IssueFilter {
                    overdue_at: Some(now),
                    lead_agency,
                    ..Default::default()
                },
            ));
        }
        Role::Deputy => {
            wanted.push((
                Reason::ToTriage,
                IssueFilter {
                    statuses: statuses(&[Status::Submitted]),
                    ..Default::default()
                },
            ));
            wanted.push((
                Reason::ToRate,
                IssueFilter {
                    statuses: statuses(&[Status::Replied]),
                    reporter: Some(actor.user_id),
                    ..Default::default()
                },
            ));
        }
        Role::Citizen => {
            wanted.push((
                Reason::ToRate,
                IssueFilter {
                    statuses: statuses(&[Status::Replied]),
                    reporter: Some(actor.user_id),
                    ..Default::default()
                },
            ));
        }
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let mut sections = Vec::new();
    for (reason, filter) in wanted {
        let mut rows = infra::db::issues::list(&mut conn, &scope, &filter, SHOWN + 1).await?;
        let more = rows.len() > usize::try_from(SHOWN).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(SHOWN).unwrap_or(usize::MAX));
        rows.reverse();
        sections.push(Section {
            reason,
            items: summaries(&mut conn, rows).await?,
            more,
        });
    }
    Ok(HttpResponse::Ok().json(Inbox { sections }))
}
