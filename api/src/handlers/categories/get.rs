use super::Category;
use crate::app::error::AppResult;
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
    Ok(HttpResponse::Ok().json(Category::from(
        crate::app::organisation::categories::get(&state, &code).await?,
    )))
}
