use super::Region;
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::page::{self, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::organisation::region::RegionLevel;
use infra::db::regions::RegionFilter;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListRegions {
    /// Only the direct children of this region.
    pub parent: Option<String>,
    pub level: Option<RegionLevel>,
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Regions, ordered by code. Staff see their region's subtree; admins see all.
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    params(ListRegions),
    responses(
        (status = 200, body = Page<Region>),
    )
)]
#[get("/regions")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListRegions>) -> AppResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    let after = page::decode_cursor(q.cursor.as_deref())?;
    let filter = RegionFilter {
        path_prefix: None,
        parent: q.parent.as_deref(),
        level: q.level.map(RegionLevel::as_str),
        after: after.as_deref(),
    };
    let rows = crate::app::organisation::regions::list(&state, &auth, filter, limit.probe()).await?;
    Ok(HttpResponse::Ok().json(page::page(rows, limit, |r| r.code.clone(), Region::from)))
}
