use super::load::visible_issue;
use crate::error::ApiResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::permission::Actor;
use infra::db::events::EventRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One event on an issue's timeline: who, when, from which state to which, and what they said.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEvent {
    pub seq: i32,
    /// `report`, a command (`accept`, `route`, `sign`, …), or `close-unrated` by the service.
    pub kind: String,
    /// Who acted; absent for the service, and for handlers when the reporter asked for anonymity.
    pub actor: Option<super::Person>,
    pub actor_role: Option<String>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    /// Internal comments are never shown to citizens.
    pub internal: bool,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub at: DateTime<Utc>,
    /// SHA-256 of this event chained to the one before (hex).
    pub hash: String,
}

/// Every event the caller may see, oldest first.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<TimelineEvent>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/issues/{id}/timeline")]
pub async fn timeline(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let loaded = visible_issue(&mut conn, &auth.actor, *id).await?;
    let rows = infra::db::events::of_issue(&mut conn, *id).await?;
    let sees_internal = loaded.relations.sees_internal();
    let hide_reporter = !loaded.relations.sees_reporter(loaded.row.anonymous);
    let mut actors: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_id).collect();
    actors.sort();
    actors.dedup();
    let people = infra::db::users::people(&mut conn, &actors).await?;
    let events: Vec<TimelineEvent> = rows
        .into_iter()
        .filter(|r| sees_internal || !r.internal)
        .map(|r| {
            let masked = hide_reporter && r.actor_id == Some(loaded.row.reporter_id);
            event_view(&auth.actor, r, &people, masked)
        })
        .collect();
    Ok(HttpResponse::Ok().json(events))
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
            .map(|p| super::person(viewer, p))
    };
    TimelineEvent {
        seq: r.seq,
        actor,
        actor_role: r.actor_role,
        from_status: r.from_status,
        to_status: r.to_status,
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
