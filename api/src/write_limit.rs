//! A per-account limit on writes: a signed-in account may send `MINSHENG_WRITES_PER_MINUTE` POST, PUT, PATCH and
//! DELETE requests a minute (a fixed window counted in Redis); past it, 429 with `Retry-After`. It stops a stuck
//! client or a stolen token from flooding the loop; reads are not counted. When Redis is away each instance counts in
//! its own memory (`counters`), so the limit still holds, per instance. With a read replica, a write is also noted
//! for read-your-writes (`app::reads`).

use crate::app::error::{AppError, ErrorCode};
use crate::extract::auth::identified;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};

const WINDOW_SECONDS: u64 = 60;

/// Does the limit count this request?
#[must_use]
pub fn counts(method: &Method, path: &str) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
        && path.starts_with("/api/v1/")
        && !path.starts_with("/api/v1/auth/")
}

pub async fn limit_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let user = match (&state, counts(req.method(), req.path())) {
        (Some(_), true) => identified(&req).map(|who| who.actor.user_id),
        _ => None,
    };
    if let (Some(state), Some(user)) = (state, user) {
        crate::app::reads::note_write(&state, user).await;
        let window = std::time::Duration::from_secs(WINDOW_SECONDS);
        let (count, retry_after) = crate::counters::hit(&state, &format!("writes:{user}"), window, "writes").await;
        if count > state.config.writes_per_minute {
            let mut e = AppError::new(
                ErrorCode::RateLimited,
                format!(
                    "more than {} changes a minute from this account; try again in {retry_after} seconds",
                    state.config.writes_per_minute
                ),
            );
            e.retry_after = Some(retry_after.max(1));
            return Ok(req.into_response(e.error_response()));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
