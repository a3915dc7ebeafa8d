use super::Category;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::category::{CategoryCode, CategoryName};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    #[schema(example = "streetlight")]
    pub code: String,
    #[schema(example = "路灯", max_length = 64)]
    pub name: String,
    /// A top-level category to file this one under.
    #[schema(example = "road")]
    pub parent_code: Option<String>,
    /// A region of the caller's scope whose own the category is: offered only within its subtree (staff may add
    /// these for their region). Leave out for a category of everyone's (admins only).
    #[schema(example = "330281")]
    pub region_code: Option<String>,
}

/// Add a category: of everyone's (admins), or a region's own, offered only within its subtree (staff of that region,
/// and admins).
#[utoipa::path(
    tag = "categories",
    security(("bearer" = [])),
    request_body = CreateCategory,
    responses(
        (status = 201, body = Category, headers(("Location" = String))),
        (status = 404, description = "The region named is not within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/categories")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateCategory>) -> AppResult<HttpResponse> {
    let new = app::organisation::categories::NewCategory {
        code: CategoryCode::parse(&body.code)?,
        name: CategoryName::parse(&body.name)?,
        parent_code: body.parent_code.as_deref(),
        region_code: body.region_code.as_deref(),
    };
    let answer = app::organisation::categories::add(&state, auth.caller(), new, |row| {
        Answer::created(&auth, format!("/api/v1/categories/{}", row.code), &Category::from(row))
    })
    .await?;
    Ok(answer.respond())
}
