use crate::error::ApiResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};
use domain::identity::ERASED_CITIZEN_NAME;
use domain::permission::may_erase_self;
use infra::db::sessions::Revoked;
use infra::db::AsyncConnection;

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
pub async fn erase(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    may_erase_self(&auth.actor)?;
    let user = auth.actor.user_id;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    conn.transaction(async |conn| {
        infra::db::users::erase(conn, user, ERASED_CITIZEN_NAME).await?;
        infra::db::notifications::forget(conn, user).await?;
        infra::db::project_comments::forget(conn, user).await?;
        infra::db::voters::forget(conn, user).await?;
        infra::db::scenes::forget_scans(conn, user).await?;
        infra::db::sessions::revoke_all(conn, user, Revoked::Erased).await?;
        // Their issues stay (the record of what was reported and done), but no longer point at anyone.
        infra::db::issues::anonymise_reporter(conn, user).await?;
        Ok::<_, infra::db::DbError>(())
    })
    .await?;
    tracing::info!(user_id = %user, "citizen erased their account");
    Ok(HttpResponse::NoContent().finish())
}
