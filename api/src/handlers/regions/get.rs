use super::Region;
use crate::app::error::{AppError, AppResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::AdminScope;

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
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::regions::find(&mut conn, &code)
        .await?
        .ok_or_else(|| AppError::not_found("region"))?;
    scope.may_see(&row.path())?;
    Ok(HttpResponse::Ok().json(Region::from(row)))
}
