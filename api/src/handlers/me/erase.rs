use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};

/// Erase the caller's account (citizens).
///
/// The openid, unionid, phone and name are gone and every session ends at once. What the citizen reported stays on
/// the record, told as the deeds of "a deleted citizen". Signing in with the same WeChat account later makes a new,
/// empty citizen. Their comments and stars on livelihood projects, the deputies they followed and their ratings of
/// them are deleted. Deputies', handlers' and staff accounts are disabled by an administrator instead (403).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Erased; the caller's tokens no longer work"),
    )
)]
#[delete("/me")]
pub async fn erase(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    app::me::erase(&state, auth.caller()).await?;
    Ok(HttpResponse::NoContent().finish())
}
