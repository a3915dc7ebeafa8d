//! 民情专报: a period's issues compiled for the party committee and the government — the headline figures, the issues
//! by theme (category) and place, what is overdue, and representative issues with their replies — as JSON, as
//! Markdown that reads as a document, or as a spreadsheet (CSV, UTF-8 with a byte-order mark).

mod csv;
mod markdown;

use crate::app::bulletins::{compile, Bulletin, Compiled};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::stats::{CohortQuery, Reach};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct BulletinQuery {
    /// `json` (default), `md` or `csv`.
    pub format: Option<String>,
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
    let bulletin = match compile(&state, &auth, &cohort, format == "csv").await? {
        Compiled::Bulletin(bulletin) => *bulletin,
        Compiled::Sheet(asked) => {
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
