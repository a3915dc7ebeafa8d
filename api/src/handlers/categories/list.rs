use super::Category;
use crate::error::ApiResult;
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
    )
)]
#[get("/categories")]
pub async fn list(state: web::Data<AppState>, q: Query<ListCategories>) -> ApiResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    let after = page::decode_cursor(q.cursor.as_deref())?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = infra::db::categories::list(&mut conn, q.parent.as_deref(), after.as_deref(), limit.probe()).await?;
    Ok(HttpResponse::Ok().json(page::page(rows, limit, |r| r.code.clone(), Category::from)))
}
