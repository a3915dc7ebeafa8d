//! The signed-in caller: a valid bearer token whose session is open and whose account still exists and is enabled.

use crate::auth::jwt::Claims;
use crate::error::{ApiError, ErrorCode};
use crate::idempotency::Claimed;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use domain::permission::Actor;
use domain::role::Role;
use std::future::Future;
use std::pin::Pin;

/// The caller, checked against the database on every request so that signing out and disabling an account take
/// effect at once, not when the access token expires.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub actor: Actor,
    pub claims: Claims,
    /// The `Idempotency-Key` this request claimed, if it sent one: a command stores its answer under it in its own
    /// transaction (`idempotency::Answer`).
    pub claimed: Option<Claimed>,
}

/// The token of an `Authorization: Bearer <token>` header, if there is one.
#[must_use]
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_owned())
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = bearer_token(req.headers());
        let claimed = req.extensions().get::<Claimed>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("app state missing")))?;
            let token = bearer.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Unauthenticated,
                    "send an access token as `Authorization: Bearer <token>`",
                )
                .with_field("Authorization")
            })?;
            let claims = state
                .jwt
                .verify(&token)
                .map_err(|why| ApiError::new(ErrorCode::InvalidToken, why))?;
            let mut conn = infra::db::pool::conn(&state.db).await?;
            let caller = infra::db::users::caller(&mut conn, claims.sub, claims.sid)
                .await?
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidToken,
                        "the account behind this token no longer exists",
                    )
                })?;
            // Disabling also ends the sessions; the account's state is the clearer answer. An erased account is gone
            // for good: its tokens are simply invalid.
            if !caller.enabled && !caller.erased {
                return Err(ApiError::account_disabled());
            }
            if !caller.session_open {
                return Err(ApiError::new(
                    ErrorCode::InvalidToken,
                    "this session has ended (signed out, or its refresh token was reused); sign in again",
                ));
            }
            if !caller.enabled {
                return Err(ApiError::account_disabled());
            }
            let role: Role = caller.role.parse().map_err(ApiError::internal)?;
            let actor = Actor {
                user_id: claims.sub,
                role,
                region: caller.region_path(),
                agency: caller.agency_id,
                stations: caller.stations,
            };
            Ok(AuthUser { actor, claims, claimed })
        })
    }
}
