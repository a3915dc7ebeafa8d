//! `/regions/{code}/categories`: how a region offers categories in its subtree — which, and by what names — as
//! FixMyStreet lets each body keep its own. Staff keep their region's and below; admins any.

use super::Category;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{get, put, web, HttpResponse};
use domain::organisation::category::CategoryName;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A category as a region offers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaCategory {
    #[serde(flatten)]
    pub category: Category,
    /// Whether reporters in this region see it.
    pub offered: bool,
    /// The name it goes by in this region (its own name unless a region on the way renamed it).
    pub local_name: String,
    /// What this region itself set, if anything (a region above may have set it too).
    pub set_here: Option<AreaSetting>,
}

/// A region's setting of a category for its subtree.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaSetting {
    /// Offered to reporters within the region's subtree, unless a region below says otherwise.
    pub offered: bool,
    /// The name it goes by within the subtree; leave out to keep the name from above.
    #[schema(max_length = 64, example = "路灯照明")]
    pub name: Option<String>,
}

/// Every category and how this region offers it: offered or not here, by what name, and what the region itself set.
/// Another region's own categories, offered only in its subtree, are left out.
#[utoipa::path(tag = "categories", security(("bearer" = [])),
    params(("code" = String, Path, description = "A region of the caller's scope")),
    responses((status = 200, body = Vec<AreaCategory>),
        (status = 404, description = "No such region within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The region code is malformed", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/regions/{code}/categories")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, code: web::Path<String>) -> AppResult<HttpResponse> {
    let offered = app::organisation::categories::offered_in(&state, auth.caller(), &code).await?;
    let answer: Vec<AreaCategory> = offered
        .into_iter()
        .map(|o| AreaCategory {
            offered: o.offered,
            local_name: o.local_name,
            set_here: o.set_here.map(|(offered, name)| AreaSetting { offered, name }),
            category: Category::from(o.category),
        })
        .collect();
    Ok(HttpResponse::Ok().json(answer))
}

/// Offer a category in the region's subtree or stop offering it, and name it as the region will: reporters, routing
/// rules and statistics there follow. A region below may choose otherwise for its own subtree.
#[utoipa::path(tag = "categories", security(("bearer" = [])),
    params(("code" = String, Path, description = "A region of the caller's scope"), ("category" = String, Path)),
    request_body = AreaSetting,
    responses((status = 200, body = AreaSetting),
        (status = 404, description = "No such region within the caller's scope, or no such category there", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The region code or the name is malformed", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[put("/regions/{code}/categories/{category}")]
pub async fn set(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(String, String)>,
    body: Json<AreaSetting>,
) -> AppResult<HttpResponse> {
    let name = body.name.as_deref().map(CategoryName::parse).transpose()?;
    let (code, category) = (&path.0, &path.1);
    let (offered, name) =
        app::organisation::categories::set_offer(&state, auth.caller(), (code, category), body.offered, name).await?;
    Ok(HttpResponse::Ok().json(AreaSetting { offered, name }))
}
