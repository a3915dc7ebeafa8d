use super::Me;
use crate::error::ApiResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web};

/// The caller: roles, region, agency, stations (any role).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<web::Json<Me>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(web::Json(super::profile(&mut conn, auth.actor.user_id).await?))
}
