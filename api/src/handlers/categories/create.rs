use super::{check_parent, Category};
use crate::app::reach::region_to_manage;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::category::{CategoryCode, CategoryName};
use domain::permission::AdminScope;
use infra::db::AsyncConnection;
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
        (status = 404, description = "The region named is not within the caller's scope", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/categories")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateCategory>) -> ApiResult<HttpResponse> {
    let body = body.0;
    if body.region_code.is_none() {
        domain::permission::may_manage_categories(&auth.actor)?;
    }
    let code = CategoryCode::parse(&body.code)?;
    let name = CategoryName::parse(&body.name)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let owner = match body.region_code.as_deref() {
        Some(raw) => {
            let scope = AdminScope::of(&auth.actor)?;
            Some(region_to_manage(&mut conn, &scope, raw, "region_code").await?.code)
        }
        None => None,
    };
    let parent = match body.parent_code.as_deref() {
        Some(p) => Some(check_parent(&mut conn, code.as_str(), false, p).await?),
        None => None,
    };
    let answer = conn
        .transaction(async |conn| {
            let row =
                infra::db::categories::insert(conn, code.as_str(), name.as_str(), parent.as_deref(), owner.as_deref())
                    .await?;
            let answer = Answer::created(&auth, format!("/api/v1/categories/{}", row.code), &Category::from(row))?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
