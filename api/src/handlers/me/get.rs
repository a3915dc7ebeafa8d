use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use crate::handlers::users::User;
use crate::state::AppState;
use actix_web::{get, web};

/// The caller: role, region, agency, stations.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = User),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<web::Json<User>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = infra::db::users::find(&mut conn, auth.actor.user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    Ok(web::Json(User::from(user)))
}
