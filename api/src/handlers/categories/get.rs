use super::Category;
use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// One category.
#[utoipa::path(
    tag = "categories",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Category code")),
    responses(
        (status = 200, body = Category),
    )
)]
#[get("/categories/{code}")]
pub async fn get(state: web::Data<AppState>, _auth: AuthUser, code: web::Path<String>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::categories::find(&mut conn, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("category"))?;
    Ok(HttpResponse::Ok().json(Category::from(row)))
}
