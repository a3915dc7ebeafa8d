use crate::error::ApiResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use infra::db::sessions::{self, Revoked};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LogoutQuery {
    /// End every session of the account, on every device, not only this one.
    #[serde(default)]
    pub everywhere: bool,
}

/// Sign out: the session of this access token ends at once, with its refresh tokens (any role).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(LogoutQuery),
    responses(
        (status = 204, description = "Signed out; the access and refresh tokens of the session no longer work"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, auth: AuthUser, q: Query<LogoutQuery>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = auth.actor.user_id;
    if q.0.everywhere {
        sessions::revoke_all(&mut conn, user, Revoked::Logout).await?;
    } else {
        sessions::revoke(&mut conn, user, auth.claims.sid, Revoked::Logout).await?;
    }
    tracing::info!(user_id = %user, everywhere = q.0.everywhere, "signed out");
    Ok(HttpResponse::NoContent()
        .cookie(super::forget_refresh_cookie(&state.config))
        .finish())
}
