use super::Category;
use crate::app::error::{AppError, AppResult};
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
pub async fn get(state: web::Data<AppState>, _auth: AuthUser, code: web::Path<String>) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::categories::find(&mut conn, &code)
        .await?
        .ok_or_else(|| AppError::not_found("category"))?;
    Ok(HttpResponse::Ok().json(Category::from(row)))
}
