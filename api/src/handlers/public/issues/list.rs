//! `GET /public/issues`: the public results, newest first.

use crate::app::error::AppResult;
use crate::app::publication::PublicIssue;
use crate::extract::Query;
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PublicQuery {
    /// A region code: its issues and those below it.
    pub region: Option<String>,
    pub category: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The public results, newest first: replied and closed issues that staff did not withhold. No sign-in needed.
#[utoipa::path(tag = "public", params(PublicQuery),
    responses(
        (status = 200, body = Page<PublicIssue>),
    ))]
#[get("/public/issues")]
pub async fn list(state: web::Data<AppState>, query: Query<PublicQuery>) -> AppResult<HttpResponse> {
    let limit = limit(query.limit)?;
    let after = decode_uuid_cursor(query.cursor.as_deref())?;
    let (region, category) = (query.region.as_deref(), query.category.clone());
    let items = crate::app::publication::issues(&state, region, category, after, limit.probe()).await?;
    Ok(HttpResponse::Ok().json(page(items, limit, |i: &PublicIssue| i.id.to_string(), |i| i)))
}
