//! 民情专报: a period's issues compiled for the party committee and the government — the headline figures, the issues
//! by theme (category) and place, what is overdue, and representative issues with their replies — as JSON, as
//! Markdown that reads as a document, or as a spreadsheet (CSV, UTF-8 with a byte-order mark).

mod csv;
mod markdown;

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::publication::{PublicCategory, PublicIssue};
use crate::app::stats::{asked, top_places, CohortQuery, Reach};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::stats::scope::may_compile_bulletin;
use domain::stats::{Breakdown, Figures};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Representative issues per theme.
const PER_THEME: i64 = 3;
/// Overdue issues listed.
const OVERDUE_LISTED: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
pub struct BulletinQuery {
    /// `json` (default), `md` or `csv`.
    pub format: Option<String>,
}

/// A place in a theme and how many of the theme's issues it reported.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThemePlace {
    pub region_code: String,
    pub name: String,
    pub reported: u64,
}

/// A theme (category) of the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Theme {
    /// None: issues reported without a category.
    pub category: Option<PublicCategory>,
    pub figures: Figures,
    pub places: Vec<ThemePlace>,
    /// Replied issues, the most co-signed first.
    pub representative: Vec<PublicIssue>,
}

/// An issue past an agency deadline now.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueIssue {
    pub number: String,
    pub title: Option<String>,
    pub category: Option<String>,
    pub place: String,
    pub agency: Option<String>,
    pub due_at: DateTime<Utc>,
    /// Whole days since it fell due.
    pub days_overdue: i64,
}

/// A 民情专报.
#[derive(Debug, Serialize, ToSchema)]
pub struct Bulletin {
    pub title: String,
    #[serde(flatten)]
    pub reach: Reach,
    pub figures: Figures,
    pub themes: Vec<Theme>,
    pub overdue: Vec<OverdueIssue>,
}

/// Compiles a 民情专报 for a region and period (staff for their subtree, admins): `format=json` (this schema),
/// `md` (`text/markdown`, a document to send as it is) or `csv` (`text/csv`, every issue of the period, UTF-8 with a
/// byte-order mark so that spreadsheets read the Chinese). The figures are `/api/v1/stats/overview`'s; issue texts are
/// masked as in the public results.
#[utoipa::path(tag = "statistics", security(("bearer" = [])), params(BulletinQuery, CohortQuery),
    responses(
        (status = 200, description = "The bulletin in the format asked for",
            content((Bulletin = "application/json"), (String = "text/markdown"), (String = "text/csv"))),
    ))]
#[get("/bulletins")]
pub async fn bulletin(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<BulletinQuery>,
    cohort: Query<CohortQuery>,
) -> AppResult<HttpResponse> {
    let format = query.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "md" | "csv") {
        return Err(AppError::new(ErrorCode::InvalidQuery, "format must be json, md or csv").with_field("format"));
    }
    may_compile_bulletin(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let asked = asked(&mut conn, &state, &auth.actor, &cohort).await?;
    let cohort = asked.cohort();
    let title = title(&asked.reach);
    if format == "csv" {
        drop(conn);
        let body = csv::spreadsheet(
            state.db.clone(),
            asked.scope.clone(),
            asked.period,
            asked.reach.generated_at,
        );
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, disposition(&asked.reach, "csv")))
            .streaming(body));
    }
    let figures = infra::db::stats::overview(&mut conn, &cohort).await?;
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    let by_category = crate::app::stats::rows(&mut conn, &cohort, Breakdown::Categories, &reference).await?;
    let places = infra::db::stats::places(&mut conn, &cohort).await?;
    let mut representative: Vec<PublicIssue> = infra::db::stats::representative(&mut conn, &cohort, PER_THEME)
        .await?
        .iter()
        .map(PublicIssue::of)
        .collect();
    let themes = by_category
        .into_iter()
        .map(|row| {
            let in_theme: Vec<_> = places.iter().filter(|p| p.category_code == row.key).cloned().collect();
            let code = row.key.clone();
            let (mine, rest): (Vec<_>, Vec<_>) = representative
                .drain(..)
                .partition(|i| i.category.as_ref().map(|c| &c.code) == code.as_ref());
            representative = rest;
            Theme {
                category: row.key.map(|code| PublicCategory {
                    name: row.name.unwrap_or_else(|| code.clone()),
                    code,
                }),
                figures: row.figures,
                places: top_places(&in_theme, usize::MAX)
                    .into_iter()
                    .map(|p| ThemePlace {
                        region_code: p.region_code,
                        name: p.name,
                        reported: p.reported,
                    })
                    .collect(),
                representative: mine,
            }
        })
        .collect();
    let now = asked.reach.generated_at;
    let overdue = infra::db::stats::overdue(&mut conn, &cohort, OVERDUE_LISTED)
        .await?
        .into_iter()
        .filter_map(|row| {
            let due_at = row.due_at?;
            let days_overdue = (now - due_at).num_days();
            let shown = PublicIssue::of(&row);
            Some(OverdueIssue {
                number: shown.number,
                title: shown.title,
                category: shown.category.map(|c| c.name),
                place: shown.place.name,
                agency: shown.agency,
                due_at,
                days_overdue,
            })
        })
        .collect();
    let bulletin = Bulletin {
        title,
        reach: asked.reach,
        figures,
        themes,
        overdue,
    };
    if format == "md" {
        let disposition = disposition(&bulletin.reach, "md");
        return Ok(HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, disposition))
            .body(markdown::document(&bulletin)));
    }
    Ok(HttpResponse::Ok().json(bulletin))
}

/// 北仑区民情专报（2026-01-01 至 2026-03-31）.
fn title(reach: &Reach) -> String {
    let region = reach.region.as_ref().map_or("全域", |r| r.name.as_str());
    format!("{region}民情专报（{}）", period_words(reach))
}

/// The period in words: 2026-01-01 至 2026-03-31, 2026-01-01 以来, 截至 2026-03-31, or 全部.
fn period_words(reach: &Reach) -> String {
    match (reach.from, reach.to) {
        (Some(f), Some(t)) => format!("{f} 至 {t}"),
        (Some(f), None) => format!("{f} 以来"),
        (None, Some(t)) => format!("截至 {t}"),
        (None, None) => "全部".to_owned(),
    }
}

/// `attachment; filename="bulletin-330206-2026-01-01-2026-03-31.md"` (ASCII: every client reads it).
fn disposition(reach: &Reach, extension: &str) -> String {
    let mut name = String::from("bulletin");
    if let Some(r) = &reach.region {
        name.push('-');
        name.push_str(&r.code);
    }
    for day in [reach.from, reach.to].into_iter().flatten() {
        name.push('-');
        name.push_str(&day.to_string());
    }
    format!("attachment; filename=\"{name}.{extension}\"")
}
