use super::Category;
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::page::{self, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
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
    let (parent, region) = (q.parent.as_deref(), q.region.as_deref());
    let (rows, offered) =
        crate::app::organisation::categories::list(&state, parent, after.as_deref(), limit.probe(), region, q.station)
            .await?;
    let mut page = page::page(rows, limit, |r| r.code.clone(), Category::from);
    if let Some(offered) = offered {
        // A page keeps its cursor; it may hold fewer than `limit` once what is not offered here is left out.
        page.items.retain_mut(|c| match offered.get(&c.code) {
            Some(name) => {
                name.clone_into(&mut c.name);
                true
            }
            None => false,
        });
    }
    Ok(HttpResponse::Ok().json(page))
}
