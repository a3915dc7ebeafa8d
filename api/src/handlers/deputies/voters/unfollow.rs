//! `DELETE /me/deputies/{id}`: stop following a deputy (citizens).

use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};
use uuid::Uuid;

/// Stop following a deputy (citizens). Answers 204 whether or not the caller followed them.
#[utoipa::path(operation_id = "unfollow_deputy", tag = "deputies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy")),
    responses((status = 204, description = "Not following")))]
#[delete("/me/deputies/{id}")]
pub async fn unfollow(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    app::voters::unfollow(&state, auth.caller(), *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
