use super::IssueSummary;
use crate::app::issues::view::summary;
use crate::app::reach::filters_in_reach;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use crate::xlsx::{self, Cell, ListFormat};
use actix_web::{get, web, HttpResponse};
use domain::issue::warning::Warning;
use domain::issue::{IssueScope, Status};
use infra::db::issues::IssueFilter;
use serde::Deserialize;
use std::collections::HashMap;
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
    /// `json` (default) or `xlsx`: every issue the filters select (up to 10,000, `limit` and `cursor` aside) as an
    /// Excel sheet with Chinese headers, masked as the list is.
    pub format: Option<String>,
}

/// Issues the caller may see, newest first: staff their region's, deputies their stations' and their own, handlers
/// their agency's, citizens their own.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    params(IssueQuery),
    responses(
        (status = 200, description = "A page of issues, or with `format=xlsx` the sheet of them",
            content((Page<IssueSummary> = "application/json"), (crate::xlsx::Spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    )
)]
#[get("/issues")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, query: Query<IssueQuery>) -> ApiResult<HttpResponse> {
    let scope = IssueScope::of(&auth.actor)?;
    let format = xlsx::format(query.format.as_deref())?;
    let limit = limit(query.limit)?;
    let bad = |field: &str, why: &str| ApiError::new(ErrorCode::InvalidQuery, why.to_owned()).with_field(field);
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
        after: match format {
            ListFormat::Json => decode_uuid_cursor(query.cursor.as_deref())?,
            ListFormat::Xlsx => None,
        },
        ..IssueFilter::default()
    };
    let now = state.clock.now();
    if format == ListFormat::Xlsx {
        let listed = infra::db::issues::list(&mut conn, &scope, &filter, xlsx::MOST + 1).await?;
        let names = infra::db::categories::names(&mut conn).await?;
        return sheet(listed.into_iter().map(|l| summary(l, now)).collect(), &names);
    }
    let items: Vec<IssueSummary> = infra::db::issues::list(&mut conn, &scope, &filter, limit.probe())
        .await?
        .into_iter()
        .map(|listed| summary(listed, now))
        .collect();
    let answer = page(items, limit, |s: &IssueSummary| s.id.to_string(), |s| s);
    Ok(HttpResponse::Ok().json(answer))
}

/// The issues as a sheet: the columns a clerk's list shows, in the glossary's words.
fn sheet(items: Vec<IssueSummary>, categories: &HashMap<String, String>) -> ApiResult<HttpResponse> {
    let cut = items.len() > usize::try_from(xlsx::MOST).unwrap_or(usize::MAX);
    let headers = [
        "编号",
        "标题",
        "内容摘要",
        "状态",
        "分类",
        "主办单位",
        "预警",
        "办理时限",
        "反映时间",
    ];
    let rows = items
        .into_iter()
        .take(usize::try_from(xlsx::MOST).unwrap_or(usize::MAX))
        .map(|i| {
            let category = i
                .category_code
                .as_ref()
                .map(|c| categories.get(c).map_or(c.as_str(), String::as_str));
            vec![
                Cell::from(i.number),
                Cell::from(i.title),
                Cell::from(i.excerpt),
                Cell::from(i.status.glossary()),
                Cell::from(category),
                Cell::from(i.lead_agency_name),
                Cell::from(i.warning.map(Warning::glossary)),
                Cell::from(i.due_at),
                Cell::from(i.created_at),
            ]
        })
        .collect();
    Ok(xlsx::respond(
        xlsx::workbook("问题清单", &headers, rows, cut)?,
        "issues",
    ))
}
