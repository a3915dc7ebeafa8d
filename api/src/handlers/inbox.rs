//! What waits for the caller, by reason, per role: staff triage and decide extensions, handlers sign and reply,
//! reporters rate, deputies see their voters' open issues first and take up their stations' new issues; overdue work
//! shows for staff and handlers, and what was urged for handlers.

use crate::app::issues::view::{summary, IssueSummary};
use crate::error::ApiResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::issue::warning::Warning;
use domain::issue::{IssueScope, Status};
use domain::role::Role;
use infra::db::issues::IssueFilter;
use serde::Serialize;
use utoipa::ToSchema;

/// Why something waits for the caller.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// For deputies, first: open issues reported by the voters who follow them.
    FromVoters,
    ToTriage,
    ToRoute,
    ToDecide,
    ToSign,
    ToReply,
    ToRate,
    Overdue,
    /// For handlers: their agency's open issues a deputy or staff member has urged (催办).
    Urged,
}

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

/// Issues in these states (within the caller's scope).
fn waiting(statuses: &[Status]) -> IssueFilter {
    IssueFilter {
        statuses: statuses.iter().map(|s| s.as_str().to_owned()).collect(),
        ..IssueFilter::default()
    }
}

/// The statuses of issues still open.
fn open() -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(|s| !matches!(s, Status::Closed | Status::Declined | Status::Merged))
        .collect()
}

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
    let now = state.clock.now();
    let mine = Some(actor.user_id);
    let wanted: Vec<(Reason, IssueFilter)> = match actor.role {
        Role::Admin | Role::Staff => vec![
            (Reason::ToTriage, waiting(&[Status::Submitted])),
            (Reason::ToRoute, waiting(&[Status::Accepted, Status::Reopened])),
            (
                Reason::ToDecide,
                IssueFilter {
                    pending_extension: true,
                    ..IssueFilter::default()
                },
            ),
            (
                Reason::Overdue,
                IssueFilter {
                    warning: Some((Warning::Red, now)),
                    ..IssueFilter::default()
                },
            ),
        ],
        Role::Handler => {
            let lead_agency = actor.agency;
            vec![
                (
                    Reason::ToSign,
                    IssueFilter {
                        lead_agency,
                        ..waiting(&[Status::Routed])
                    },
                ),
                (
                    Reason::ToReply,
                    IssueFilter {
                        lead_agency,
                        ..waiting(&[Status::Signed, Status::InProgress])
                    },
                ),
                (
                    Reason::Overdue,
                    IssueFilter {
                        warning: Some((Warning::Red, now)),
                        lead_agency,
                        ..IssueFilter::default()
                    },
                ),
                (
                    Reason::Urged,
                    IssueFilter {
                        lead_agency,
                        urged: true,
                        ..waiting(&[Status::Routed, Status::Signed, Status::InProgress])
                    },
                ),
            ]
        }
        Role::Deputy => vec![
            (
                Reason::FromVoters,
                IssueFilter {
                    from_voters_of: mine,
                    ..waiting(&open())
                },
            ),
            (Reason::ToTriage, waiting(&[Status::Submitted])),
            (
                Reason::ToRate,
                IssueFilter {
                    reporter: mine,
                    ..waiting(&[Status::Replied])
                },
            ),
        ],
        Role::Citizen => vec![(
            Reason::ToRate,
            IssueFilter {
                reporter: mine,
                ..waiting(&[Status::Replied])
            },
        )],
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (reasons, filters): (Vec<Reason>, Vec<IssueFilter>) = wanted.into_iter().unzip();
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
    Ok(HttpResponse::Ok().json(Inbox { sections }))
}
