//! `GET /deadlines`: the open deadlines a supervisor watches, with their colour — staff for their region, handlers
//! for their agency, admins everywhere.

pub mod export;

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::issues::view::Deadline;
use crate::app::reach::filters_in_reach;
use crate::extract::{AuthUser, Query};
use crate::page::{decode_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::issue::deadline::Stage;
use domain::issue::warning::Warning;
use domain::permission::DeadlineScope;
use infra::db::deadlines::DeadlineFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeadlineQuery {
    /// `green`, `yellow` or `red`.
    pub warning: Option<String>,
    pub agency: Option<Uuid>,
    /// A region code: issues of that region and below.
    pub region: Option<String>,
    pub category: Option<String>,
    /// `sign`, `reply`, `rereply`, `suggestion` or `rate`.
    pub stage: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// An open deadline with its issue.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineItem {
    pub issue_id: Uuid,
    pub number: String,
    pub title: Option<String>,
    pub status: String,
    #[serde(flatten)]
    pub deadline: Deadline,
}

/// Open deadlines, soonest due first.
#[utoipa::path(tag = "supervision", security(("bearer" = [])), params(DeadlineQuery),
    responses(
        (status = 200, body = Page<DeadlineItem>),
    ))]
#[get("/deadlines")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, query: Query<DeadlineQuery>) -> AppResult<HttpResponse> {
    let limit = limit(query.limit)?;
    let bad = |field: &str, why: &str| AppError::new(ErrorCode::InvalidQuery, why.to_owned()).with_field(field);
    let after = decode_cursor(query.cursor.as_deref())?
        .map(|c| {
            let (at, id) = c.split_once('|')?;
            Some((at.parse::<DateTime<Utc>>().ok()?, id.parse::<Uuid>().ok()?))
        })
        .map(|p| p.ok_or_else(|| bad("cursor", "cursor is not one this service gave out")))
        .transpose()?;
    let items = select(&state, &auth, &query, after, limit.probe()).await?;
    let answer = page(
        items,
        limit,
        |i| format!("{}|{}", i.deadline.due_at.to_rfc3339(), i.deadline.id),
        |i| i,
    );
    Ok(HttpResponse::Ok().json(answer))
}

/// The open deadlines `query` selects for the caller, `probe` of them after `after`: the board's page, and the
/// export's sheet.
pub async fn select(
    state: &AppState,
    auth: &AuthUser,
    query: &DeadlineQuery,
    after: Option<(DateTime<Utc>, Uuid)>,
    probe: i64,
) -> AppResult<Vec<DeadlineItem>> {
    let scope = DeadlineScope::of(&auth.actor)?;
    let bad = |field: &str, why: &str| AppError::new(ErrorCode::InvalidQuery, why.to_owned()).with_field(field);
    let warning = query
        .warning
        .as_deref()
        .map(|w| {
            w.parse::<Warning>()
                .map_err(|_| bad("warning", "warning must be green, yellow or red"))
        })
        .transpose()?;
    let wanted_stage = query
        .stage
        .as_deref()
        .map(|s| {
            s.parse::<Stage>()
                .map_err(|_| bad("stage", "stage must be sign, reply, rereply, suggestion or rate"))
        })
        .transpose()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    // A filter outside the caller's reach is a 404; inside it, the scope still narrows what the query asks.
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    let region_path = filters_in_reach(&reference, &auth.actor, query.region.as_deref(), query.agency, None)?;
    let (agency, path_prefix) = match &scope {
        DeadlineScope::Everywhere => (query.agency, region_path),
        DeadlineScope::Subtree(root) => (
            query.agency,
            Some(region_path.unwrap_or_else(|| root.as_str().to_owned())),
        ),
        DeadlineScope::Agency(own) => (Some(*own), region_path),
    };
    let filter = DeadlineFilter {
        agency,
        path_prefix,
        category: query.category.clone(),
        stage: wanted_stage,
        warning,
        after,
    };
    let now = state.clock.now();
    let rows = infra::db::deadlines::list_open(&mut conn, &filter, now, probe).await?;
    Ok(rows
        .into_iter()
        .map(|(d, issue_id, number, title, status)| DeadlineItem {
            issue_id,
            number,
            title,
            status,
            deadline: Deadline::new(&d, now),
        })
        .collect())
}
