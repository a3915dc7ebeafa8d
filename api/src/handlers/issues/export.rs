//! `GET /exports/issues`: the issue list as an Excel sheet — the list's own filters, rows and masking (it selects
//! through the list's own code), in the glossary's words under Chinese headers. Up to 10,000 rows.

use super::list::{filters, IssueQuery};
use super::IssueSummary;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use crate::xlsx::{self, Cell, Spreadsheet};
use actix_web::{get, web, HttpResponse};
use domain::issue::warning::Warning;
use std::collections::HashMap;

/// The issue list as a sheet: 编号, 标题, 内容摘要, 状态, 分类, 主办单位, 预警, 办理时限, 反映时间 — every issue
/// `GET /api/v1/issues` selects with the same parameters, masked as it masks them.
#[utoipa::path(tag = "exports", security(("bearer" = [])), params(IssueQuery),
    responses((status = 200, body = Spreadsheet, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
#[get("/exports/issues")]
pub async fn issues(state: web::Data<AppState>, auth: AuthUser, query: Query<IssueQuery>) -> AppResult<HttpResponse> {
    let (items, names) = crate::app::issues::list::sheet(&state, &auth, filters(&query, &auth)?, xlsx::MOST).await?;
    issues_sheet(items, &names)
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
