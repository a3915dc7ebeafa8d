use super::Category;
use crate::app::error::{AppError, AppResult};
use crate::app::organisation::check_parent;
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
    domain::permission::may_manage_categories(&auth.actor)?;
    let body = body.0;
    let name = body.name.as_deref().map(CategoryName::parse).transpose()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let current = infra::db::categories::find(&mut conn, &code)
        .await?
        .ok_or_else(|| AppError::not_found("category"))?;
    let parent = match body.parent_code {
        Some(Some(p)) => {
            let has_children = infra::db::categories::has_children(&mut conn, &current.code).await?;
            Some(Some(check_parent(&mut conn, &current.code, has_children, &p).await?))
        }
        Some(None) => Some(None),
        None => None,
    };
    let row = infra::db::categories::update(
        &mut conn,
        &current.code,
        name.as_ref().map(CategoryName::as_str),
        parent.as_ref().map(Option::as_deref),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Category::from(row)))
}
