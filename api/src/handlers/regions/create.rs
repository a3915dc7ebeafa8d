use super::Region;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::region::{NewRegion, RegionCode, RegionLevel, RegionName};
use domain::permission::AdminScope;
use infra::db::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRegion {
    #[schema(example = "330281001")]
    pub code: String,
    #[schema(example = "凤山街道", max_length = 64)]
    pub name: String,
    pub level: RegionLevel,
    /// The region this one stands under; omit for a top-level region (admins only).
    pub parent_code: Option<String>,
}

/// Add a region under a parent. Staff add regions below their own; only admins add top-level regions.
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    request_body = CreateRegion,
    responses(
        (status = 201, body = Region, headers(("Location" = String))),
        (status = 404, description = "The parent does not exist or lies outside the caller's subtree", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/regions")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateRegion>) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let body = body.0;
    let code = RegionCode::parse(&body.code)?;
    let name = RegionName::parse(&body.name)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let new = match body.parent_code.as_deref() {
        None => {
            scope.may_create_root_region()?;
            NewRegion::place(code, name, body.level, None)?
        }
        Some(parent) => {
            let parent_code = RegionCode::parse(parent).map_err(|e| e.at("parent_code"))?;
            let parent = infra::db::regions::find(&mut conn, parent_code.as_str())
                .await?
                .ok_or_else(|| ApiError::not_found("parent region").with_field("parent_code"))?;
            scope
                .may_see(&parent.path())
                .map_err(|d| ApiError::from(d).with_field("parent_code"))?;
            let parent_level = parent.level.parse().map_err(ApiError::internal)?;
            let new = NewRegion::place(
                code,
                name,
                body.level,
                Some((&parent_code, parent_level, &parent.path())),
            )?;
            scope.may_manage_region(&new.path)?;
            new
        }
    };
    let answer = conn
        .transaction(async |conn| {
            let row = infra::db::regions::insert(conn, &new).await?;
            tracing::info!(code = %row.code, "region created");
            let answer = Answer::created(&auth, format!("/api/v1/regions/{}", row.code), &Region::from(row))?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
