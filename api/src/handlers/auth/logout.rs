use super::{forget_refresh_cookie, refresh_from_cookie};
use crate::app;
use crate::app::error::{AppError, AppResult};
use crate::auth::session::SignOut;
use crate::extract::auth::bearer_token;
use crate::extract::params::Query;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse, ResponseError};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LogoutQuery {
    /// End every session of the account, on every device, not only this one.
    #[serde(default)]
    pub everywhere: bool,
}

/// Sign out (any role): the session of the access token and the session of the `minsheng_refresh` cookie end at
/// once, with their refresh tokens.
///
/// Either is enough, and the access token may have expired: a browser whose token ran out while the laptop slept
/// still ends its session through the cookie. Every answer, a refusal included, tells the browser to forget the
/// cookie, so no one who opens the page next finds the session alive.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ()),
    params(LogoutQuery),
    responses(
        (status = 204, description = "Signed out; the access and refresh tokens of the session no longer work, and the refresh cookie is cleared"),
        (status = 401, description = "Neither an access token nor a refresh cookie of a session was sent (the cookie is cleared all the same)", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest, q: Query<LogoutQuery>) -> AppResult<HttpResponse> {
    let access = bearer_token(req.headers());
    let refresh = refresh_from_cookie(&req);
    let what = SignOut {
        access_token: access.as_deref(),
        refresh_token: refresh.as_deref().filter(|t| !t.is_empty()),
        everywhere: q.0.everywhere,
    };
    let mut res = match app::sign_in::sign_out(&state, &what).await {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(e) => e.error_response(),
    };
    res.add_cookie(&forget_refresh_cookie(&state.config))
        .map_err(AppError::internal)?;
    Ok(res)
}
