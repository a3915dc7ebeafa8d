//! `GET /exports/deadlines`: the deadline board as an Excel sheet, with the board's own filters and rows.

use super::{filters, DeadlineQuery};
use crate::app::deadlines::DeadlineItem;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use crate::xlsx::{self, Cell, Spreadsheet};
use actix_web::{get, web, HttpResponse};
use infra::db::reference::Reference;

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
    let (items, reference) = crate::app::deadlines::sheet(&state, &auth, filters(&query)?, xlsx::MOST).await?;
    deadlines_sheet(items, &reference)
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
        .map(|d: DeadlineItem| {
            let agency = d.agency_id.and_then(|a| reference.agency(a)).map(|a| a.name.as_str());
            let stage = match &d.milestone {
                Some(m) => format!("{}：{m}", d.stage.glossary()),
                None => d.stage.glossary().to_owned(),
            };
            vec![
                Cell::from(d.number),
                Cell::from(d.title),
                Cell::from(d.status.map(domain::issue::Status::glossary)),
                Cell::from(stage),
                Cell::from(d.warning.glossary()),
                Cell::from(agency),
                Cell::from(d.started_at),
                Cell::from(d.warn_at),
                Cell::from(d.due_at),
            ]
        })
        .collect();
    Ok(xlsx::respond(
        xlsx::workbook("督办时限", &headers, rows, cut)?,
        "deadlines",
    ))
}
