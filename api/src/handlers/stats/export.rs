//! `GET /exports/stats/{by}`: a statistics table as an Excel sheet, the rows of `/stats/{by}`.

use super::breakdown::breakdown_of;
use crate::app::error::AppResult;
use crate::app::stats::{CohortQuery, Row};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use crate::xlsx::{self, Cell, Spreadsheet};
use actix_web::{get, web, HttpResponse};
use domain::stats::Breakdown;

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
    let view = crate::app::stats::breakdown(&state, &auth, by, &query).await?;
    stats_sheet(by, view.rows)
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
