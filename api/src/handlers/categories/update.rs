use super::Category;
use crate::app;
use crate::app::error::AppResult;
use crate::app::organisation::categories::CategoryChange;
use crate::extract::{AuthUser, Json};
use crate::handlers::nullable;
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::organisation::category::CategoryName;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    #[schema(max_length = 64)]
    pub name: Option<String>,
    /// A top-level category, or `null` to make this one top-level.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    pub parent_code: Option<Option<String>>,
}

/// Rename a category or move it (admins only).
#[utoipa::path(
    tag = "categories",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Category code")),
    request_body = UpdateCategory,
    responses(
        (status = 200, body = Category),
    )
)]
#[patch("/categories/{code}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    code: web::Path<String>,
    body: Json<UpdateCategory>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let change = CategoryChange {
        name: body.name.as_deref().map(CategoryName::parse).transpose()?,
        parent_code: body.parent_code,
    };
    let row = app::organisation::categories::change(&state, auth.caller(), &code, change).await?;
    Ok(HttpResponse::Ok().json(Category::from(row)))
}
