use super::User;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::AdminScope;
use uuid::Uuid;

/// One account.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = User),
    )
)]
#[get("/users/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = crate::app::accounts::in_reach(&mut conn, &scope, *id).await?;
    Ok(HttpResponse::Ok().json(User::view(user, &auth.actor)))
}
