use super::IssueSummary;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::issues::list::{select, Filters};
use crate::app::Caller;
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::issue::warning::Warning;
use domain::issue::Status;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct IssueQuery {
    /// One status, or several separated by commas (`routed,signed,in_progress`).
    pub status: Option<String>,
    pub station: Option<Uuid>,
    /// Issues this agency leads or was routed to.
    pub agency: Option<Uuid>,
    pub category: Option<String>,
    /// A region code: that region and below.
    pub region: Option<String>,
    /// `me`: only the caller's own reports.
    pub reporter: Option<String>,
    /// One search box: words in the number, title, description or address; a reporter's name, or four or more
    /// digits of their phone — for those who may see the reporter (staff, admins, deputies; handlers unless the
    /// reporter asked for anonymity; never citizens).
    pub q: Option<String>,
    /// 三色警示: `green`, `yellow` or `red` — the worst colour of the issue's open agency deadlines.
    pub warning: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Issues the caller may see, newest first: staff their region's, deputies their stations' and their own, handlers
/// their agency's, citizens their own.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    params(IssueQuery),
    responses(
        (status = 200, body = Page<IssueSummary>),
    )
)]
#[get("/issues")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, query: Query<IssueQuery>) -> AppResult<HttpResponse> {
    let limit = limit(query.limit)?;
    let after = decode_uuid_cursor(query.cursor.as_deref())?;
    let items = select(&state, &auth, filters(&query, &auth)?, after, limit.probe()).await?;
    let answer = page(items, limit, |s: &IssueSummary| s.id.to_string(), |s| s);
    Ok(HttpResponse::Ok().json(answer))
}

/// What `query` asks for, checked: the app holds it to the caller's reach.
///
/// # Errors
/// 400 naming a malformed status, reporter, text or warning.
pub fn filters(query: &IssueQuery, caller: &Caller) -> AppResult<Filters> {
    let bad = |field: &str, why: &str| AppError::new(ErrorCode::InvalidQuery, why.to_owned()).with_field(field);
    let statuses = match &query.status {
        None => Vec::new(),
        Some(s) => s
            .split(',')
            .map(|w| {
                w.trim()
                    .parse::<Status>()
                    .map_err(|_| bad("status", "status must be one of the issue states"))
            })
            .collect::<Result<_, _>>()?,
    };
    let reporter = match query.reporter.as_deref() {
        None => None,
        Some("me") => Some(caller.actor.user_id),
        Some(_) => return Err(bad("reporter", "reporter takes only `me`")),
    };
    let text = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
        return Err(bad("q", "q may be at most 100 characters"));
    }
    let warning = query
        .warning
        .as_deref()
        .map(|w| {
            w.parse::<Warning>()
                .map_err(|_| bad("warning", "warning must be green, yellow or red"))
        })
        .transpose()?;
    Ok(Filters {
        statuses,
        reporter,
        region: query.region.clone(),
        agency: query.agency,
        station: query.station,
        category: query.category.clone(),
        text,
        warning,
    })
}
