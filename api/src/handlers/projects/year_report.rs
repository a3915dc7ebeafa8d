//! `GET /reports/projects`: a region's livelihood projects of a year — JSON, Markdown or CSV, as the 民情专报.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::projects::report::{YearProject, YearReport};
use crate::extract::{AuthUser, Query};
use crate::handlers::documents::{cell, line, push_row};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use std::fmt::Write;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// The year the projects were elected in (their ballot closed in it).
    pub year: i32,
    /// A region code in the caller's reach: its subtree; none, the caller's whole reach.
    pub region: Option<String>,
    /// `json` (default), `md` or `csv`.
    pub format: Option<String>,
}

/// The year report of livelihood projects (staff for their subtree, admins): every project elected in the year, its
/// votes, delivery, money, the deputies' evaluations and any 整改 — `format=json`, `md` (a document to send as it
/// is) or `csv` (UTF-8 with a byte-order mark).
#[utoipa::path(operation_id = "project_year_report", tag = "projects", security(("bearer" = [])), params(YearQuery),
    responses((status = 200, description = "The report in the format asked for",
        content((YearReport = "application/json"), (String = "text/markdown"), (String = "text/csv")))))]
#[get("/reports/projects")]
pub async fn year_report(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let format = query.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "md" | "csv") {
        return Err(AppError::new(ErrorCode::InvalidQuery, "format must be json, md or csv").with_field("format"));
    }
    let year = domain::proposal::round_year(query.year)
        .map_err(|e| AppError::new(ErrorCode::InvalidQuery, e.message).with_field("year"))?;
    let report = crate::app::projects::report::year(&state, auth.caller(), query.region.as_deref(), year).await?;
    let name = format!(
        "attachment; filename=\"projects-{}{year}.{format}\"",
        report
            .region_code
            .as_deref()
            .map(|r| format!("{r}-"))
            .unwrap_or_default()
    );
    Ok(match format {
        "md" => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, name))
            .body(markdown(&report)),
        "csv" => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, name))
            .body(csv(&report)),
        _ => HttpResponse::Ok().json(report),
    })
}

/// 满意 3、基本满意 1、不满意 0（通过）: the newest evaluation in words.
fn evaluation(p: &YearProject) -> String {
    p.evaluations.first().map_or_else(
        || "未测评".to_owned(),
        |e| {
            format!(
                "满意 {}、基本满意 {}、不满意 {}（{}）",
                e.satisfied,
                e.basically,
                e.dissatisfied,
                if e.passed { "通过" } else { "未通过" }
            )
        },
    )
}

fn markdown(r: &YearReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} 年民生实事项目年度报告\n", r.year);
    let _ = writeln!(
        out,
        "共 {} 个项目，预算 {} 元，已支出 {} 元；代表满意度测评满意 {} 个，整改中 {} 个。\n",
        r.projects.len(),
        r.budget_yuan,
        r.spent_yuan,
        r.satisfied,
        r.rectifying
    );
    let _ = writeln!(
        out,
        "| 项目 | 承办单位 | 票决得票 | 节点完成 | 预算（元） | 支出（元） | 状态 | 满意度测评 | 整改次数 |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    for p in &r.projects {
        let s = &p.project;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}/{} | {} | {} | {} | {} | {} |",
            cell(&s.title),
            cell(&s.agency_name),
            s.votes.map_or_else(|| "—".to_owned(), |v| v.to_string()),
            s.progress.done,
            s.progress.milestones,
            s.budget_yuan,
            s.spending.spent_yuan,
            s.delivery.glossary(),
            evaluation(p),
            p.rectifications
        );
    }
    for p in r.projects.iter().filter(|p| p.project.delivery_note.is_some()) {
        let _ = writeln!(
            out,
            "\n- {}：{}",
            line(&p.project.title),
            line(p.project.delivery_note.as_deref().unwrap_or_default())
        );
    }
    out
}

fn csv(r: &YearReport) -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "项目",
        "承办单位",
        "票决得票",
        "节点数",
        "已完成节点",
        "预算（元）",
        "拨付（元）",
        "支出（元）",
        "状态",
        "满意",
        "基本满意",
        "不满意",
        "测评通过",
        "整改次数",
    ];
    push_row(&mut out, header.iter().map(|h| (*h).to_owned()));
    for p in &r.projects {
        let s = &p.project;
        let latest = p.evaluations.first();
        let n = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
        push_row(
            &mut out,
            [
                s.title.clone(),
                s.agency_name.clone(),
                n(s.votes),
                s.progress.milestones.to_string(),
                s.progress.done.to_string(),
                s.budget_yuan.to_string(),
                s.spending.allocated_yuan.to_string(),
                s.spending.spent_yuan.to_string(),
                s.delivery.glossary().to_owned(),
                n(latest.map(|e| e.satisfied)),
                n(latest.map(|e| e.basically)),
                n(latest.map(|e| e.dissatisfied)),
                latest
                    .map(|e| if e.passed { "是" } else { "否" }.to_owned())
                    .unwrap_or_default(),
                p.rectifications.to_string(),
            ]
            .into_iter(),
        );
    }
    out
}
