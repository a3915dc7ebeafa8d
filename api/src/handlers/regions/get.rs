use super::Region;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// One region. Outside the caller's subtree it does not exist (404).
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Region code")),
    responses(
        (status = 200, body = Region),
    )
)]
#[get("/regions/{code}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, code: web::Path<String>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Region::from(
        crate::app::organisation::regions::get(&state, &auth, &code).await?,
    )))
}
