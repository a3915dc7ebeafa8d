use super::User;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
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
    let user = crate::app::accounts::get(&state, &auth, *id).await?;
    Ok(HttpResponse::Ok().json(User::view(user, &auth.actor)))
}
