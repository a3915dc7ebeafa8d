use super::Agency;
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::page::{self, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListAgencies {
    /// Only agencies in this region's subtree.
    pub region: Option<String>,
    /// Only agencies that handle this category.
    pub category: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Agencies, oldest first. Staff see their subtree.
#[utoipa::path(
    tag = "agencies",
    security(("bearer" = [])),
    params(ListAgencies),
    responses(
        (status = 200, body = Page<Agency>),
    )
)]
#[get("/agencies")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListAgencies>) -> AppResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    let after = page::decode_uuid_cursor(q.cursor.as_deref())?;
    let (region, category) = (q.region.as_deref(), q.category.as_deref());
    let rows = crate::app::organisation::agencies::list(&state, &auth, region, category, after, limit.probe()).await?;
    Ok(HttpResponse::Ok().json(page::page(rows, limit, |a| a.row.id.to_string(), Agency::from)))
}
