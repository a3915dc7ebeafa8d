//! `GET /deadlines`: the open deadlines a supervisor watches, with their colour — staff for their region, handlers
//! for their agency, admins everywhere.

pub mod export;

use crate::app::deadlines::{select, DeadlineItem, Filters};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::{AuthUser, Query};
use crate::page::{decode_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::issue::deadline::BoardStage;
use domain::issue::warning::Warning;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeadlineQuery {
    /// `green`, `yellow` or `red`.
    pub warning: Option<String>,
    pub agency: Option<Uuid>,
    /// A region code: issues, and projects of ballots, of that region and below.
    pub region: Option<String>,
    pub category: Option<String>,
    /// `sign`, `reply`, `rereply`, `suggestion`, `rate`, or `milestone` (elected projects' milestones).
    pub stage: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Open deadlines of issues and of elected projects' milestones, soonest due first. A category narrows to issues.
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
    let items = select(&state, &auth, filters(&query)?, after, limit.probe()).await?;
    let answer = page(items, limit, |i| format!("{}|{}", i.due_at.to_rfc3339(), i.id), |i| i);
    Ok(HttpResponse::Ok().json(answer))
}

/// What `query` asks for, checked: the app holds it to the caller's reach.
///
/// # Errors
/// 400 naming a malformed warning or stage.
pub fn filters(query: &DeadlineQuery) -> AppResult<Filters> {
    let bad = |field: &str, why: &str| AppError::new(ErrorCode::InvalidQuery, why.to_owned()).with_field(field);
    let warning = query
        .warning
        .as_deref()
        .map(|w| {
            w.parse::<Warning>()
                .map_err(|_| bad("warning", "warning must be green, yellow or red"))
        })
        .transpose()?;
    let stage = query
        .stage
        .as_deref()
        .map(|s| {
            s.parse::<BoardStage>().map_err(|_| {
                bad(
                    "stage",
                    "stage must be sign, reply, rereply, suggestion, rate or milestone",
                )
            })
        })
        .transpose()?;
    Ok(Filters {
        warning,
        stage,
        region: query.region.clone(),
        agency: query.agency,
        category: query.category.clone(),
    })
}
