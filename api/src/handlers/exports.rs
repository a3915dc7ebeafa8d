//! `/exports/…`: the lists clerks work from as Excel sheets — the issue list, the deadline board, a statistics
//! table — with the list's own filters, rows and masking (each export selects through the list's own code), in the
//! glossary's words under Chinese headers. Up to 10,000 rows; `limit` and `cursor` do not apply.

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Query};
use crate::handlers::deadlines::{DeadlineItem, DeadlineQuery};
use crate::handlers::issues::list::IssueQuery;
use crate::handlers::issues::IssueSummary;
use crate::handlers::stats::breakdown::{breakdown_of, rows, Row};
use crate::handlers::stats::{asked, CohortQuery};
use crate::state::AppState;
use crate::xlsx::{self, Cell, Spreadsheet};
use actix_web::{get, web, HttpResponse};
use domain::issue::warning::Warning;
use domain::stats::Breakdown;
use infra::db::reference::Reference;
use std::collections::HashMap;

/// The issue list as a sheet: 编号, 标题, 内容摘要, 状态, 分类, 主办单位, 预警, 办理时限, 反映时间 — every issue
/// `GET /api/v1/issues` selects with the same parameters, masked as it masks them.
#[utoipa::path(tag = "exports", security(("bearer" = [])), params(IssueQuery),
    responses((status = 200, body = Spreadsheet, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
#[get("/exports/issues")]
pub async fn issues(state: web::Data<AppState>, auth: AuthUser, query: Query<IssueQuery>) -> AppResult<HttpResponse> {
    let items = crate::handlers::issues::list::select(&state, &auth, &query, None, xlsx::MOST + 1).await?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let names = infra::db::categories::names(&mut conn).await?;
    issues_sheet(items, &names)
}

/// The deadline board as a sheet: 编号, 标题, 状态, 环节, 预警, 承办单位, 开始时间, 预警时间, 截止时间 — every open
/// deadline `GET /api/v1/deadlines` selects with the same parameters.
#[utoipa::path(tag = "exports", security(("bearer" = [])), params(DeadlineQuery),
    responses((status = 200, body = Spreadsheet, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
#[get("/exports/deadlines")]
pub async fn deadlines(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<DeadlineQuery>,
) -> AppResult<HttpResponse> {
    let items = crate::handlers::deadlines::select(&state, &auth, &query, None, xlsx::MOST + 1).await?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    deadlines_sheet(items, &reference)
}

/// A statistics table as a sheet: each agency's, station's, deputy's, category's or region's counts and rates, as
/// `GET /api/v1/stats/{by}` answers them.
#[utoipa::path(tag = "exports", security(("bearer" = [])),
    params(("by" = String, Path, description = "agencies, stations, deputies, categories or regions"), CohortQuery),
    responses((status = 200, body = Spreadsheet, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
#[get("/exports/stats/{by}")]
pub async fn stats(
    state: web::Data<AppState>,
    auth: AuthUser,
    by: web::Path<String>,
    query: Query<CohortQuery>,
) -> AppResult<HttpResponse> {
    let by = breakdown_of(&by)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let asked = asked(&mut conn, &state, &auth.actor, &query).await?;
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    let rows = rows(&mut conn, &asked.cohort(), by, &reference).await?;
    stats_sheet(by, rows)
}

/// The issues as a sheet: the columns a clerk's list shows, in the glossary's words.
fn issues_sheet(items: Vec<IssueSummary>, categories: &HashMap<String, String>) -> AppResult<HttpResponse> {
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

/// The deadline board as a sheet, in the glossary's words, agencies by name.
fn deadlines_sheet(items: Vec<DeadlineItem>, reference: &Reference) -> AppResult<HttpResponse> {
    let most = usize::try_from(xlsx::MOST).unwrap_or(usize::MAX);
    let cut = items.len() > most;
    let headers = [
        "编号",
        "标题",
        "状态",
        "环节",
        "预警",
        "承办单位",
        "开始时间",
        "预警时间",
        "截止时间",
    ];
    let rows = items
        .into_iter()
        .take(most)
        .map(
            |DeadlineItem {
                 number,
                 title,
                 status,
                 deadline: d,
                 ..
             }| {
                let status = status
                    .parse::<domain::issue::Status>()
                    .map_or(status.clone(), |s| s.glossary().to_owned());
                let agency = d.agency_id.and_then(|a| reference.agency(a)).map(|a| a.name.as_str());
                vec![
                    Cell::from(number),
                    Cell::from(title),
                    Cell::from(status),
                    Cell::from(d.stage.glossary()),
                    Cell::from(d.warning.glossary()),
                    Cell::from(agency),
                    Cell::from(d.started_at),
                    Cell::from(d.warn_at),
                    Cell::from(d.due_at),
                ]
            },
        )
        .collect();
    Ok(xlsx::respond(
        xlsx::workbook("督办时限", &headers, rows, cut)?,
        "deadlines",
    ))
}

/// A breakdown as a sheet: each row's name and its counts and rates, headed as the console's table is.
fn stats_sheet(by: Breakdown, rows: Vec<Row>) -> AppResult<HttpResponse> {
    let first = match by {
        Breakdown::Agencies => "承办单位",
        Breakdown::Stations => "联络站",
        Breakdown::Deputies => "代表",
        Breakdown::Categories => "分类",
        _ => "区域",
    };
    let headers = [
        first,
        "反映",
        "受理",
        "交办",
        "答复",
        "办结",
        "当前超期",
        "答复率%",
        "解决率%",
        "按时答复率%",
        "满意率%",
    ];
    let rows = rows
        .into_iter()
        .map(|r| {
            let c = &r.figures.counts;
            let rates = &r.figures.rates;
            vec![
                Cell::from(r.name.or(r.key).unwrap_or_else(|| "未分配".to_owned())),
                Cell::from(c.reported),
                Cell::from(c.accepted),
                Cell::from(c.routed),
                Cell::from(c.replied),
                Cell::from(c.closed),
                Cell::from(c.overdue_now),
                Cell::from(rates.reply.percent),
                Cell::from(rates.solve.percent),
                Cell::from(rates.on_time.percent),
                Cell::from(rates.satisfaction.percent),
            ]
        })
        .collect();
    Ok(xlsx::respond(
        xlsx::workbook("统计", &headers, rows, false)?,
        by.as_str(),
    ))
}
