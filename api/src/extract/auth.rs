//! The signed-in caller: a valid bearer token whose session is open and whose account still exists and is enabled.
//!
//! The caller is known once, at the door: [`identify`] (a middleware) verifies the token and, for a command, reads the
//! caller in one statement, and the write limit, idempotency and [`AuthUser`] all read what it found. A read's caller
//! is read with the read ([`Reader`]) or by [`AuthUser`].

use crate::app::door::{Caller, Holder};
use crate::app::error::{AppError, ErrorCode};
use crate::auth::jwt::Claims;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, Error, FromRequest, HttpMessage, HttpRequest};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use uuid::Uuid;

/// The `Idempotency-Key` a request claimed (`crate::idempotency` claims it and puts it on the request; the caller
/// carries it). Every command under the rule stores its answer with it inside the command's own transaction
/// (`Answer::keep`): then a command whose commit landed but whose answer was lost (the database went away just after)
/// is replayed, never carried out twice.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub(crate) user: Uuid,
    pub(crate) key: String,
}

/// How a handler receives the caller: the [`Caller`] the door admitted (`auth.actor`, `auth.scene` read through
/// it), with the token's claims and the `Idempotency-Key` the request claimed.
#[derive(Debug, Clone)]
pub struct AuthUser {
    caller: Caller,
    pub claims: Claims,
    /// The `Idempotency-Key` this request claimed, if it sent one: a command stores its answer under it in its own
    /// transaction (`idempotency::Answer`).
    pub claimed: Option<Claimed>,
}

impl AuthUser {
    /// Who asks, as the use cases take them.
    #[must_use]
    pub fn caller(&self) -> &Caller {
        &self.caller
    }
}

/// An extractor reads as what it extracts, as actix's own do (`web::Data`, `web::Json`).
impl std::ops::Deref for AuthUser {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.caller
    }
}

/// What [`identify`] found: the caller, a read's token that holds (its caller not read yet), or why the token is
/// refused (answered only if the handler needs a caller).
enum Door {
    Caller(Arc<Caller>, Claims),
    Token(Claims),
    Refused(AppError),
}

/// Requests that change nothing: the write limit and idempotency do not look at their caller.
fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
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
pub fn identified(req: &ServiceRequest) -> Option<Arc<Caller>> {
    match req.extensions().get::<Door>() {
        Some(Door::Caller(who, _)) => Some(Arc::clone(who)),
        _ => None,
    }
}

/// Middleware: verifies the bearer token of an API request once and, for a command, reads its caller in one statement
/// (a read's caller is read with the read: [`Reader`], or by [`AuthUser`]). Sign-in and
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
            let found = match verified(&state, &token) {
                // A read needs its caller only to judge what it found: it reads them beside its own statement
                // (`Reader`), or `AuthUser` reads them.
                Ok(claims) if is_read(req.method()) => Door::Token(claims),
                Ok(claims) => match caller(&state, &claims).await {
                    Ok(who) => Door::Caller(Arc::new(who), claims),
                    Err(why) => Door::Refused(why),
                },
                Err(why) => Door::Refused(why),
            };
            req.extensions_mut().insert(found);
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The token's claims, if it holds.
fn verified(state: &AppState, token: &str) -> Result<Claims, AppError> {
    state
        .jwt
        .verify(token)
        .map_err(|why| AppError::new(ErrorCode::InvalidToken, why))
}

/// The caller behind `claims`, read in a statement of its own.
async fn caller(state: &AppState, claims: &Claims) -> Result<Caller, AppError> {
    let conn = infra::db::pool::conn(&state.db).await?;
    crate::app::door::admitted(&conn, holder(claims)).await
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Taken, not copied: a request has one caller extractor.
        let found = req.extensions_mut().remove::<Door>();
        let claimed = req.extensions().get::<Claimed>().cloned();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = bearer_token(req.headers());
        Box::pin(async move {
            let (who, claims) = match found {
                Some(Door::Caller(who, claims)) => (Caller::clone(&who), claims),
                // A read's caller, and that of a route the door leaves alone (signing out), are read here.
                found => {
                    let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("app state missing")))?;
                    let claims = Reader::of(found, Some(&state), bearer.as_deref())?.claims;
                    (caller(&state, &claims).await?, claims)
                }
            };
            Ok(AuthUser {
                caller: who,
                claims,
                claimed,
            })
        })
    }
}

/// A signed-in reader whose token holds, their account and session not read yet: a read whose first statement does
/// not depend on who asks sends theirs beside it, in the same wait (`app::door::admitted`), and judges the caller
/// before it shows anything it found.
#[derive(Debug, Clone)]
pub struct Reader {
    pub claims: Claims,
}

/// The account and session `claims` name.
fn holder(claims: &Claims) -> Holder {
    Holder {
        user: claims.sub,
        session: claims.sid,
    }
}

impl Reader {
    /// The account and session the token names, for a read to admit beside its own statement.
    #[must_use]
    pub fn holder(&self) -> Holder {
        holder(&self.claims)
    }

    /// The token the door verified, or the request's own (`state` and `bearer`, for routes the door leaves alone).
    fn of(found: Option<Door>, state: Option<&AppState>, bearer: Option<&str>) -> Result<Self, AppError> {
        let claims = match found {
            Some(Door::Token(claims) | Door::Caller(_, claims)) => claims,
            Some(Door::Refused(why)) => return Err(why),
            None => {
                let token = bearer.ok_or_else(|| {
                    AppError::new(
                        ErrorCode::Unauthenticated,
                        "send an access token as `Authorization: Bearer <token>`",
                    )
                    .with_field("Authorization")
                })?;
                let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("app state missing")))?;
                verified(state, token)?
            }
        };
        Ok(Self { claims })
    }
}

impl FromRequest for Reader {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = req.extensions_mut().remove::<Door>();
        let state = req.app_data::<web::Data<AppState>>();
        let bearer = bearer_token(req.headers());
        std::future::ready(Self::of(found, state.map(web::Data::get_ref), bearer.as_deref()))
    }
}
