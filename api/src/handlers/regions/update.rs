use super::Region;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{patch, web};
use domain::organisation::region::RegionName;
use domain::permission::AdminScope;
use serde::Deserialize;
use utoipa::ToSchema;

/// A region's code, level and place in the tree are fixed: issues and accounts refer to them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRegion {
    pub name: String,
}

/// Rename a region. Staff rename regions below their own.
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Region code")),
    request_body = UpdateRegion,
    responses(
        (status = 200, body = Region),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/regions/{code}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    code: web::Path<String>,
    body: Json<UpdateRegion>,
) -> ApiResult<web::Json<Region>> {
    let scope = AdminScope::of(&auth.actor)?;
    let name = RegionName::parse(&body.0.name)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::regions::find(&mut conn, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("region"))?;
    scope.may_manage_region(&row.path())?;
    let row = infra::db::regions::rename(&mut conn, &row.code, name.as_str()).await?;
    Ok(web::Json(Region::from(row)))
}
