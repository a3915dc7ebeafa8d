//! The signed-in caller: a valid bearer token whose session is open and whose account still exists and is enabled.
//!
//! The caller is known once, at the door: [`identify`] (a middleware) verifies the token and reads the caller in one
//! statement, and the write limit, idempotency and [`AuthUser`] all read what it found.

use crate::auth::jwt::Claims;
use crate::error::{ApiError, ErrorCode};
use crate::idempotency::Claimed;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::{web, Error, FromRequest, HttpMessage, HttpRequest};
use domain::identity::SceneTarget;
use domain::permission::Actor;
use domain::role::Role;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Who the caller is, checked against the database on every request so that signing out and disabling an account
/// take effect at once, not when the access token expires.
#[derive(Debug, Clone)]
pub struct Identity {
    pub actor: Actor,
    pub claims: Claims,
    /// What the citizen last scanned (where their reports go).
    pub scene: Option<SceneTarget>,
    /// The reference data's version as the caller's statement read it (`infra::db::reference`).
    pub reference_version: i64,
}

/// The signed-in caller, for handlers.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub actor: Actor,
    pub claims: Claims,
    pub scene: Option<SceneTarget>,
    pub reference_version: i64,
    /// The `Idempotency-Key` this request claimed, if it sent one: a command stores its answer under it in its own
    /// transaction (`idempotency::Answer`).
    pub claimed: Option<Claimed>,
}

impl AuthUser {
    /// The caller as the use cases take them.
    #[must_use]
    pub fn caller(&self) -> crate::app::Caller<'_> {
        crate::app::Caller {
            actor: &self.actor,
            reference_version: self.reference_version,
        }
    }
}

/// What [`identify`] found: the caller, or why the token is refused (answered only if the handler needs a caller).
enum Found {
    Caller(Arc<Identity>),
    Refused(ApiError),
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

/// The caller the door identified, if the request carried a token that holds.
#[must_use]
pub fn identified(req: &ServiceRequest) -> Option<Arc<Identity>> {
    match req.extensions().get::<Found>() {
        Some(Found::Caller(who)) => Some(Arc::clone(who)),
        _ => None,
    }
}

/// Middleware: verifies the bearer token of an API request once and reads its caller in one statement. Sign-in and
/// refresh (`/api/v1/auth/…`) and everything outside the API are left alone: their bearer token, if any, is not an
/// access token (the metrics token) or not needed.
pub async fn identify(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let path = req.path();
    if path.starts_with("/api/v1/") && !path.starts_with("/api/v1/auth/") {
        if let (Some(state), Some(token)) = (
            req.app_data::<web::Data<AppState>>().cloned(),
            bearer_token(req.headers()),
        ) {
            let found = match caller(&state, &token).await {
                Ok(who) => Found::Caller(Arc::new(who)),
                Err(why) => Found::Refused(why),
            };
            req.extensions_mut().insert(found);
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The caller behind `token`.
async fn caller(state: &AppState, token: &str) -> Result<Identity, ApiError> {
    let claims = state
        .jwt
        .verify(token)
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
    // Disabling also ends the sessions; the account's state is the clearer answer. An erased account is gone for
    // good: its tokens are simply invalid.
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
        stations: caller.stations.clone(),
    };
    Ok(Identity {
        actor,
        claims,
        scene: caller.scene(),
        reference_version: caller.reference_version,
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Taken, not copied: a request has one caller extractor.
        let found = req.extensions_mut().remove::<Found>();
        let claimed = req.extensions().get::<Claimed>().cloned();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = bearer_token(req.headers());
        Box::pin(async move {
            let who = match found {
                Some(Found::Caller(who)) => Identity::clone(&who),
                Some(Found::Refused(why)) => return Err(why),
                // Routes the door leaves alone (signing out) identify their caller here.
                None => {
                    let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("app state missing")))?;
                    let token = bearer.ok_or_else(|| {
                        ApiError::new(
                            ErrorCode::Unauthenticated,
                            "send an access token as `Authorization: Bearer <token>`",
                        )
                        .with_field("Authorization")
                    })?;
                    caller(&state, &token).await?
                }
            };
            Ok(AuthUser {
                actor: who.actor,
                claims: who.claims,
                scene: who.scene,
                reference_version: who.reference_version,
                claimed,
            })
        })
    }
}
