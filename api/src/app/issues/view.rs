//! An issue as a caller may see it: the whole view, a list's summary, a timeline event. Pure functions of what one
//! read returned (`load`) and the reference data; the types are the answers the HTTP floor sends as they are.

use super::load::{Loaded, Viewable};
use crate::app::error::AppResult;
use crate::app::photos::Photo;
use chrono::{DateTime, Utc};
use domain::issue::deadline::Stage;
use domain::issue::machine::allowed_actions;
use domain::issue::warning::Warning;
use domain::issue::{Action, Limits, Rating, ReplyCategory, Status};
use domain::organisation::region::RegionLevel;
use domain::organisation::user::Phone;
use domain::permission::{may_see_phone, Actor};
use infra::db::deadlines::{DeadlineRow, Moments};
use infra::db::events::EventRow;
use infra::db::issues::{Listed, SummaryRow};
use infra::db::reference::Reference;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Something named: an agency, a station.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
}

/// Where the problem is. Coordinates are WGS-84, whatever system the report came in (a map that draws GCJ-02
/// converts them: `domain::coordinates`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Place {
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
}

/// A person shown beside an issue or an event. Phones are masked for all but the person and admins.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub phone: Option<String>,
}

/// An open deadline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Deadline {
    pub id: Uuid,
    pub stage: Stage,
    pub round: i16,
    pub agency_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    /// When it turns yellow.
    pub warn_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// 三色警示 now: green on track, yellow close, red overdue.
    pub warning: Warning,
}

impl Deadline {
    #[must_use]
    pub fn new(d: &DeadlineRow, now: DateTime<Utc>) -> Self {
        Deadline {
            id: d.id,
            stage: d.stage().unwrap_or(Stage::Reply),
            round: d.round,
            agency_id: d.agency_id,
            started_at: d.started_at,
            warn_at: d.warn_at,
            due_at: d.due_at,
            warning: d.warning(now),
        }
    }
}

/// The issue's colour, from its open deadlines.
#[must_use]
pub fn issue_warning(deadlines: impl IntoIterator<Item = Moments>, now: DateTime<Utc>) -> Option<Warning> {
    domain::issue::warning::worst(
        deadlines
            .into_iter()
            .filter_map(|d| Some((d.stage?, d.warn_at, d.due_at))),
        now,
    )
}

/// An extension request waiting for staff.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PendingExtension {
    pub id: Uuid,
    pub days: i16,
    /// `days` or `working_days`.
    pub unit: String,
    pub reason: String,
    pub requested_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// The agencies routing rules suggest for this issue's category and region.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoutingSuggestion {
    pub lead_agency_id: Uuid,
    pub co_agency_ids: Vec<Uuid>,
}

/// An issue as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueView {
    pub id: Uuid,
    /// Human-readable, by region and year: `YY-2026-000123`.
    pub number: String,
    pub status: Status,
    pub title: Option<String>,
    pub description: String,
    pub category_code: Option<String>,
    pub location: Option<Place>,
    pub region_code: String,
    pub station: Option<Named>,
    /// The deputy a citizen reported to by scanning their card.
    pub deputy_id: Option<Uuid>,
    /// Who reported; absent for handlers when the reporter asked for anonymity.
    pub reporter: Option<Person>,
    pub anonymous: bool,
    /// 分层分类: the level decided at triage.
    pub level: Option<RegionLevel>,
    pub complex: bool,
    pub lead_agency: Option<Named>,
    pub co_agencies: Vec<Named>,
    pub round: i16,
    pub reply_category: Option<ReplyCategory>,
    /// The reporter's rating of this round's reply; none until they rate it (a reopened issue's earlier rating is in
    /// the timeline).
    pub rating: Option<Rating>,
    pub converted_at: Option<DateTime<Utc>>,
    pub merged_into: Option<Uuid>,
    pub cosign_count: i64,
    /// How many citizens joined the issue (我也遇到) instead of reporting it again: who stands behind it besides
    /// its reporter.
    pub join_count: i64,
    /// The content check asked for a person to look (shown to staff and admins).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_review: Option<bool>,
    /// Withheld from the public results (shown to staff and admins).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<bool>,
    pub photos: Vec<Photo>,
    /// Open deadlines, soonest first.
    pub deadlines: Vec<Deadline>,
    /// The soonest open deadline.
    pub due_at: Option<DateTime<Utc>>,
    /// The worst colour of the open deadlines an agency must meet.
    pub warning: Option<Warning>,
    /// 挂牌督办.
    pub key_supervision: bool,
    pub pending_extension: Option<PendingExtension>,
    /// For staff while the issue waits to be accepted or routed.
    pub routing_suggestion: Option<RoutingSuggestion>,
    /// What the caller may do now; each is `POST /api/v1/issues/{id}/…` (see each command).
    pub allowed_actions: Vec<Action>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// An issue in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueSummary {
    pub id: Uuid,
    pub number: String,
    pub status: Status,
    pub title: Option<String>,
    /// The description's first 80 characters.
    pub excerpt: String,
    pub category_code: Option<String>,
    pub region_code: String,
    pub station_id: Option<Uuid>,
    pub lead_agency_id: Option<Uuid>,
    /// The lead agency's name, for lists that name who is working each issue.
    pub lead_agency_name: Option<String>,
    pub round: i16,
    pub due_at: Option<DateTime<Utc>>,
    pub warning: Option<Warning>,
    /// The content check held its words for a person to read before anyone outside sees them.
    pub needs_review: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl IssueSummary {
    #[must_use]
    pub fn new(row: SummaryRow, due_at: Option<DateTime<Utc>>, warning: Option<Warning>) -> Self {
        // A list does not know who may see an anonymous reporter, so it shows their words as the agencies do: the
        // numbers in them masked (the issue itself shows the whole text to those who may see it). Masked before it
        // is cut, so a number cut short cannot slip through.
        let status = row.status.parse().unwrap_or(Status::Submitted);
        let (title, description) = if row.anonymous {
            (row.title.as_deref().map(unnamed), unnamed(&row.description))
        } else {
            (row.title, row.description)
        };
        IssueSummary {
            status,
            excerpt: description.chars().take(80).collect(),
            id: row.id,
            number: row.number,
            title,
            category_code: row.category_code,
            region_code: row.region_code,
            station_id: row.station_id,
            lead_agency_id: row.lead_agency_id,
            lead_agency_name: row.lead_agency_name,
            round: row.round,
            due_at,
            warning,
            needs_review: row.needs_review,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// An issue's summary, from its row and open deadlines (soonest first).
#[must_use]
pub fn summary(listed: Listed, now: DateTime<Utc>) -> IssueSummary {
    let due = listed.deadlines.first().map(|d| d.due_at);
    let warning = issue_warning(listed.deadlines, now);
    IssueSummary::new(listed.row, due, warning)
}

/// Shows a person to `viewer`: the phone masked unless it is theirs or they are an admin.
#[must_use]
pub fn person(viewer: &Actor, (id, name, role, phone): (Uuid, String, String, Option<String>)) -> Person {
    let phone = phone.map(|p| {
        if may_see_phone(viewer, id) {
            p
        } else {
            Phone::parse(&p).map_or_else(|_| "****".to_owned(), |p| p.masked())
        }
    });
    Person { id, name, role, phone }
}

fn named(pairs: &[(Uuid, String)], id: Uuid) -> Named {
    Named {
        id,
        name: pairs
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
    }
}

/// The whole view of a loaded issue for `actor`.
pub fn view(
    actor: &Actor,
    viewable: Viewable,
    limits: Limits,
    now: DateTime<Utc>,
    reference: &Reference,
) -> AppResult<(IssueView, Vec<DeadlineRow>)> {
    let state = viewable.loaded.state()?;
    let Viewable {
        loaded:
            Loaded {
                row,
                relations,
                parties,
                deadlines,
                ..
            },
        parts,
    } = viewable;
    let allowed = allowed_actions(&relations, &state, limits);
    let sees_reporter = relations.sees_reporter(row.anonymous);
    let agencies = parts.agencies;
    let reporter = parts.reporter.filter(|_| sees_reporter).map(|p| person(actor, p));
    let photos = parts.photos;
    let pending = parts.pending.map(|e| PendingExtension {
        id: e.id,
        days: e.days,
        unit: e.unit,
        reason: e.reason,
        requested_by: e.requested_by,
        created_at: e.created_at,
    });
    // Staff see it before accepting too: 受理并交办 is one step for them.
    let routes_next = allowed.contains(&Action::Route) || (allowed.contains(&Action::Accept) && relations.triages());
    let routing_suggestion =
        match (&row.category_code, routes_next) {
            (Some(category), true) => crate::app::routing::suggestion(reference, &row.path(), category).map(
                |(lead_agency_id, co_agency_ids)| RoutingSuggestion {
                    lead_agency_id,
                    co_agency_ids,
                },
            ),
            _ => None,
        };
    let cosign_count = i64::try_from(parties.cosigners.len()).unwrap_or(i64::MAX);
    let join_count = i64::try_from(parties.joiners.len()).unwrap_or(i64::MAX);
    let view = IssueView {
        id: row.id,
        status: state.status,
        title: if sees_reporter {
            row.title
        } else {
            row.title.as_deref().map(unnamed)
        },
        description: if sees_reporter {
            row.description
        } else {
            unnamed(&row.description)
        },
        category_code: row.category_code,
        location: (row.latitude.is_some() || row.address.is_some()).then_some(Place {
            latitude: row.latitude,
            longitude: row.longitude,
            address: row.address,
        }),
        region_code: row.region_code,
        station: row.station_id.map(|id| Named {
            id,
            name: parts.station.clone().unwrap_or_default(),
        }),
        deputy_id: row.deputy_id,
        reporter,
        anonymous: row.anonymous,
        level: row.level.as_deref().and_then(|l| l.parse().ok()),
        complex: row.complex,
        lead_agency: row.lead_agency_id.map(|a| named(&agencies, a)),
        co_agencies: row.co_agency_ids.iter().map(|a| named(&agencies, *a)).collect(),
        round: row.round,
        reply_category: state.reply,
        rating: row.rating.as_deref().and_then(|r| r.parse().ok()),
        converted_at: row.converted_at,
        merged_into: row.merged_into,
        cosign_count,
        join_count,
        needs_review: relations.triages().then_some(row.needs_review),
        withheld: relations.triages().then_some(state.withheld),
        photos: photos.into_iter().map(Photo::from).collect(),
        due_at: deadlines.first().map(|d| d.due_at),
        warning: issue_warning(deadlines.iter().map(DeadlineRow::moments), now),
        key_supervision: state.key_supervision,
        deadlines: deadlines.iter().map(|d| Deadline::new(d, now)).collect(),
        pending_extension: pending,
        routing_suggestion,
        allowed_actions: allowed,
        number: row.number,
        created_at: row.created_at,
        updated_at: row.updated_at,
        closed_at: row.closed_at,
    };
    Ok((view, deadlines))
}

/// The machine's limits as configured.
#[must_use]
pub fn limits(config: &infra::config::Config) -> Limits {
    Limits {
        max_rounds: config.issues.max_rounds,
    }
}

/// One event on an issue's timeline: who, when, from which state to which, and what they said.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEvent {
    pub seq: i32,
    /// `report`, a command (`accept`, `route`, `sign`, …), or `close-unrated` by the service.
    pub kind: String,
    /// Who acted; absent for the service, and for handlers when the reporter asked for anonymity.
    pub actor: Option<Person>,
    pub actor_role: Option<String>,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub note: Option<String>,
    /// Internal comments are never shown to citizens.
    pub internal: bool,
    /// What the step carried: a routing's agencies, an extension's span, a reply's category — and the extension
    /// request it withdrew (`withdrawn_extension_id`), when one was still waiting for staff.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub at: DateTime<Utc>,
    /// SHA-256 of this event chained to the one before (hex).
    pub hash: String,
}

/// An event as `viewer` sees it; `masked` hides an anonymous reporter (and what the report event says of them).
#[must_use]
pub fn event_view(
    viewer: &Actor,
    r: EventRow,
    people: &[(Uuid, String, String, Option<String>)],
    masked: bool,
) -> TimelineEvent {
    let actor = if masked {
        None
    } else {
        r.actor_id
            .and_then(|a| people.iter().find(|p| p.0 == a).cloned())
            .map(|p| person(viewer, p))
    };
    TimelineEvent {
        seq: r.seq,
        actor,
        actor_role: r.actor_role,
        // Written from `Status::as_str`, so they read back; a word no longer known is left out, not an error.
        from_status: r.from_status.as_deref().and_then(|s| s.parse().ok()),
        to_status: r.to_status.as_deref().and_then(|s| s.parse().ok()),
        note: if masked { r.note.as_deref().map(unnamed) } else { r.note },
        internal: r.internal,
        data: {
            let mut data = serde_json::from_str(&r.data).unwrap_or(serde_json::Value::Null);
            if masked {
                // What an anonymous reporter wrote may name them (a phone number typed into the text).
                for field in ["title", "description"] {
                    if let Some(text) = data.get(field).and_then(serde_json::Value::as_str).map(unnamed) {
                        data[field] = serde_json::Value::String(text);
                    }
                }
            }
            data
        },
        at: r.at,
        hash: infra::encoding::hex(&r.hash),
        kind: r.kind,
    }
}

/// An anonymous reporter's words as those who may not know them read them: digit runs (phone, ID and card numbers)
/// masked as on the public pages.
#[must_use]
pub fn unnamed(text: &str) -> String {
    domain::publication::mask(text, &[])
}
