use super::IssueSummary;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::issues::view::summary;
use crate::app::reach::filters_in_reach;
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::issue::warning::Warning;
use domain::issue::{IssueScope, Status};
use infra::db::issues::IssueFilter;
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
    let items = select(&state, &auth, &query, after, limit.probe()).await?;
    let answer = page(items, limit, |s: &IssueSummary| s.id.to_string(), |s| s);
    Ok(HttpResponse::Ok().json(answer))
}

/// The issues `query` selects for the caller, `probe` of them after `after`: the list's page, and the export's sheet.
pub async fn select(
    state: &AppState,
    auth: &AuthUser,
    query: &IssueQuery,
    after: Option<Uuid>,
    probe: i64,
) -> AppResult<Vec<IssueSummary>> {
    let scope = IssueScope::of(&auth.actor)?;
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
        Some("me") => Some(auth.actor.user_id),
        Some(_) => return Err(bad("reporter", "reporter takes only `me`")),
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    let path_prefix = filters_in_reach(
        &reference,
        &auth.actor,
        query.region.as_deref(),
        query.agency,
        query.station,
    )?;
    let text = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
        return Err(bad("q", "q may be at most 100 characters"));
    }
    let warning = match query.warning.as_deref() {
        None => None,
        Some(w) => Some((
            w.parse::<Warning>()
                .map_err(|_| bad("warning", "warning must be green, yellow or red"))?,
            state.clock.now(),
        )),
    };
    let filter = IssueFilter {
        warning,
        statuses,
        station: query.station,
        agency: query.agency,
        category: query.category.clone(),
        path_prefix,
        reporter,
        text,
        reporters: scope.reporters_searched(),
        after,
        ..IssueFilter::default()
    };
    let now = state.clock.now();
    Ok(infra::db::issues::list(&mut conn, &scope, &filter, probe)
        .await?
        .into_iter()
        .map(|listed| summary(listed, now))
        .collect())
}
