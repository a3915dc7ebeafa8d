use super::User;
use crate::error::ApiResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web};
use domain::permission::AdminScope;
use uuid::Uuid;

/// One account.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = User),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<User>> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = super::in_reach(&mut conn, &scope, *id).await?;
    Ok(web::Json(User::view(user, &auth.actor)))
}
