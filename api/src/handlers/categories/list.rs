use super::Category;
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::page::{self, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::organisation::region::RegionPath;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCategories {
    /// Only the sub-categories of this one.
    pub parent: Option<String>,
    /// A region code: only the categories offered there, by the names they go by there (what a reporter there picks
    /// from). Leave out for every category by its own name.
    pub region: Option<String>,
    /// A station: only the categories offered in its region, by the names they go by there (what a reporter
    /// reporting through it picks from).
    pub station: Option<uuid::Uuid>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Categories, ordered by code. No sign-in needed: a citizen reporting picks one, and the public results are searched
/// by them.
#[utoipa::path(
    tag = "categories",
    params(ListCategories),
    responses(
        (status = 200, body = Page<Category>),
        (status = 404, description = "The region or station named does not exist", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories")]
pub async fn list(state: web::Data<AppState>, q: Query<ListCategories>) -> AppResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    let after = page::decode_cursor(q.cursor.as_deref())?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = infra::db::categories::list(&mut conn, q.parent.as_deref(), after.as_deref(), limit.probe()).await?;
    let mut page = page::page(rows, limit, |r| r.code.clone(), Category::from);
    let region = crate::app::reach::region_filter(&mut conn, q.region.as_deref()).await?;
    if region.is_none() && q.station.is_none() {
        return Ok(HttpResponse::Ok().json(page));
    }
    let reference = state.reference.current(&mut conn).await?;
    let place = match q.station {
        Some(station) => reference
            .station(station)
            .map(|s| s.path.clone())
            .ok_or_else(|| crate::app::error::AppError::not_found("station").with_field("station"))?,
        None => RegionPath::from_stored(region.unwrap_or_default()),
    };
    // A page keeps its cursor; it may hold fewer than `limit` once what is not offered here is left out.
    page.items.retain_mut(|c| match reference.offered_at(&place, &c.code) {
        Some(name) => {
            name.clone_into(&mut c.name);
            true
        }
        None => false,
    });
    Ok(HttpResponse::Ok().json(page))
}
