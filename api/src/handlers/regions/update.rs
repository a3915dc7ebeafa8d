use super::Region;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::issue::number::NumberPrefix;
use domain::organisation::region::RegionName;
use serde::Deserialize;
use utoipa::ToSchema;

/// A region's code, level and place in the tree are fixed: issues and accounts refer to them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRegion {
    #[schema(max_length = 64)]
    pub name: Option<String>,
    /// 1 to 8 capital letters; `null` to take the parent's again. Changes only numbers given from now on.
    #[serde(default, deserialize_with = "crate::handlers::nullable")]
    #[schema(value_type = Option<String>, max_length = 8)]
    pub issue_prefix: Option<Option<String>>,
}

/// Rename a region or set its issue-number prefix. Staff change regions below their own.
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Region code")),
    request_body = UpdateRegion,
    responses(
        (status = 200, body = Region),
    )
)]
#[patch("/regions/{code}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    code: web::Path<String>,
    body: Json<UpdateRegion>,
) -> AppResult<HttpResponse> {
    let issue_prefix = match &body.issue_prefix {
        None => None,
        Some(None) => Some(None),
        Some(Some(p)) => Some(Some(NumberPrefix::parse(p)?)),
    };
    let change = app::organisation::regions::RegionChange {
        name: body.name.as_deref().map(RegionName::parse).transpose()?,
        issue_prefix,
    };
    let row = app::organisation::regions::change(&state, auth.caller(), &code, change).await?;
    Ok(HttpResponse::Ok().json(Region::from(row)))
}
