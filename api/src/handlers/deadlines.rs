//! `GET /deadlines`: the open deadlines a supervisor watches, with their colour — staff for their region, handlers
//! for their agency, admins everywhere.

use crate::app::reach::filters_in_reach;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Query};
use crate::handlers::issues::Deadline;
use crate::page::{decode_cursor, limit, page, Page};
use crate::state::AppState;
use crate::xlsx::{self, Cell, ListFormat};
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
    /// `json` (default) or `xlsx`: every open deadline the filters select (up to 10,000, `limit` and `cursor`
    /// aside) as an Excel sheet with Chinese headers.
    pub format: Option<String>,
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
        (status = 200, description = "A page of deadlines, or with `format=xlsx` the sheet of them",
            content((Page<DeadlineItem> = "application/json"), (crate::xlsx::Spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    ))]
#[get("/deadlines")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, query: Query<DeadlineQuery>) -> ApiResult<HttpResponse> {
    let scope = DeadlineScope::of(&auth.actor)?;
    let format = xlsx::format(query.format.as_deref())?;
    let limit = limit(query.limit)?;
    let bad = |field: &str, why: &str| ApiError::new(ErrorCode::InvalidQuery, why.to_owned()).with_field(field);
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
    let after = decode_cursor(query.cursor.as_deref())?
        .map(|c| {
            let (at, id) = c.split_once('|')?;
            Some((at.parse::<DateTime<Utc>>().ok()?, id.parse::<Uuid>().ok()?))
        })
        .map(|p| p.ok_or_else(|| bad("cursor", "cursor is not one this service gave out")))
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
        after: if format == ListFormat::Xlsx { None } else { after },
    };
    let now = state.clock.now();
    if format == ListFormat::Xlsx {
        let rows = infra::db::deadlines::list_open(&mut conn, &filter, now, xlsx::MOST + 1).await?;
        return sheet(rows, &reference, now);
    }
    let rows = infra::db::deadlines::list_open(&mut conn, &filter, now, limit.probe()).await?;
    let answer = page(
        rows,
        limit,
        |(d, ..)| format!("{}|{}", d.due_at.to_rfc3339(), d.id),
        |(d, issue_id, number, title, status)| DeadlineItem {
            issue_id,
            number,
            title,
            status,
            deadline: Deadline::new(&d, now),
        },
    );
    Ok(HttpResponse::Ok().json(answer))
}

/// The deadline board as a sheet, in the glossary's words, agencies by name.
fn sheet(
    rows: Vec<(infra::db::deadlines::DeadlineRow, Uuid, String, Option<String>, String)>,
    reference: &infra::db::reference::Reference,
    now: DateTime<Utc>,
) -> ApiResult<HttpResponse> {
    let most = usize::try_from(xlsx::MOST).unwrap_or(usize::MAX);
    let cut = rows.len() > most;
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
    let rows = rows
        .into_iter()
        .take(most)
        .map(|(d, _, number, title, status)| {
            let d = Deadline::new(&d, now);
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
        })
        .collect();
    Ok(xlsx::respond(
        xlsx::workbook("督办时限", &headers, rows, cut)?,
        "deadlines",
    ))
}
