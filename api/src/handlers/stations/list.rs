use super::Station;
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
pub struct ListStations {
    /// Only stations in this region's subtree.
    pub region: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Stations, oldest first. Staff see their subtree.
#[utoipa::path(
    tag = "stations",
    security(("bearer" = [])),
    params(ListStations),
    responses(
        (status = 200, body = Page<Station>),
    )
)]
#[get("/stations")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListStations>) -> AppResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    let after = page::decode_uuid_cursor(q.cursor.as_deref())?;
    let rows =
        crate::app::organisation::stations::list(&state, &auth, q.region.as_deref(), after, limit.probe()).await?;
    Ok(HttpResponse::Ok().json(page::page(rows, limit, |r| r.id.to_string(), Station::from)))
}
