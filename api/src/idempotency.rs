//! `Idempotency-Key` for every create command (`POST` under `/api/v1/`, sign-in aside): the first answer is stored,
//! and a retry with the same key and the same request gets it again instead of creating twice. The same key with a
//! different request is refused (422); a retry while the first is still being answered waits its turn (409).
//! Keys belong to the signed-in account, so two people cannot collide; they are kept for a day (see the worker).

use crate::app::error::AppResult;
use crate::app::error::{AppError, ErrorCode};
use crate::extract::auth::{identified, AuthUser, Claimed};
use crate::extract::json::read_limited;
use crate::state::AppState;
use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse, ResponseError};
use domain::idempotency::IdempotencyKey;
use infra::db::idempotency::{self as store, Claim, Stored};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Does the `Idempotency-Key` rule cover this request? Every create command: `POST` under `/api/v1/`, but for
/// sign-in and photos (idempotent by their bytes, and too large to buffer here).
#[must_use]
pub fn applies(method: &Method, path: &str) -> bool {
    method == Method::POST
        && path.starts_with("/api/v1/")
        && !path.starts_with("/api/v1/auth/")
        && path != "/api/v1/photos"
        // A paper must never be filed under an account; its token makes it idempotent.
        && !(path.starts_with("/api/v1/ballots/") && path.ends_with("/papers"))
}

/// What the OpenAPI document says of the header, on every operation it applies to.
pub const HEADER_DESCRIPTION: &str = "Any unique string (a UUID is typical), 1 to 255 visible ASCII characters. A \
retry with the same key and body answers what the first request answered (with `Idempotent-Replayed: true`); the same \
key with another body is a 422 `idempotency_key_reused`; a retry while the first is still being answered is a 409 \
`request_in_progress`.";

pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// Marks a response whose answer the handler already stored with `Answer::keep`.
#[derive(Debug, Clone, Copy)]
pub struct AnswerStored;

/// What a command answers, made inside its transaction so that it can be kept there with the command.
#[derive(Debug)]
pub struct Answer {
    claimed: Option<Claimed>,
    status: StatusCode,
    location: Option<String>,
    /// JSON, or none for an empty answer (204).
    json: Option<Vec<u8>>,
}

impl Answer {
    /// A JSON answer to the caller's command.
    ///
    /// # Errors
    /// When `value` cannot be serialised.
    pub fn json(
        auth: &AuthUser,
        status: StatusCode,
        location: Option<String>,
        value: &impl Serialize,
    ) -> AppResult<Self> {
        Ok(Answer {
            claimed: auth.claimed.clone(),
            status,
            location,
            json: Some(serde_json::to_vec(value).map_err(AppError::internal)?),
        })
    }

    /// 201 with where the new thing lives.
    ///
    /// # Errors
    /// When `value` cannot be serialised.
    pub fn created(auth: &AuthUser, location: String, value: &impl Serialize) -> AppResult<Self> {
        Self::json(auth, StatusCode::CREATED, Some(location), value)
    }

    /// 204: done, nothing to say.
    #[must_use]
    pub fn empty(auth: &AuthUser) -> Self {
        Answer {
            claimed: auth.claimed.clone(),
            status: StatusCode::NO_CONTENT,
            location: None,
            json: None,
        }
    }

    /// Stores the answer under the request's key, inside the command's transaction; without a key, does nothing.
    ///
    /// # Errors
    /// When PostgreSQL fails.
    pub async fn keep(&self, conn: &mut infra::db::PgConn) -> Result<(), infra::db::DbError> {
        let Some(claimed) = &self.claimed else {
            return Ok(());
        };
        let stored = Stored {
            status: self.status.as_u16(),
            content_type: self.json.as_ref().map(|_| "application/json".to_owned()),
            location: self.location.clone(),
            body: self.json.clone().unwrap_or_default(),
        };
        store::finish(conn, claimed.user, &claimed.key, &stored).await
    }

    /// The response, marked as kept so that the middleware does not store it again.
    #[must_use]
    pub fn respond(self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        if let Some(location) = self.location {
            res.insert_header((header::LOCATION, location));
        }
        let mut res = match self.json {
            Some(json) => res.content_type("application/json").body(json),
            None => res.finish(),
        };
        res.extensions_mut().insert(AnswerStored);
        res
    }
}

pub async fn idempotent_creates(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let applies = applies(req.method(), req.path());
    let raw_key = req.headers().get(IdempotencyKey::HEADER).cloned();
    let (Some(raw_key), true) = (raw_key, applies) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(key) = raw_key.to_str().ok().and_then(|k| IdempotencyKey::parse(k).ok()) else {
        let e = AppError::new(
            ErrorCode::InvalidHeader,
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        )
        .with_field(IdempotencyKey::HEADER);
        return Ok(req.into_response(e.error_response()));
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Without a caller there is no one to file the key under; the handler answers 401.
    let Some(user) = identified(&req).map(|who| who.actor.user_id) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };

    let body = match read_limited(&mut req.take_payload(), state.config.body_limit).await {
        Ok(body) => body,
        Err(e) => return Ok(req.into_response(e.error_response())),
    };
    let hash = request_hash(&req, &body);
    let claim = match claim(&state, user, &key, &hash).await {
        Ok(claim) => claim,
        Err(e) => return Ok(req.into_response(e.error_response())),
    };
    match claim {
        Claim::Started => {
            req.set_payload(Payload::from(body));
            req.extensions_mut().insert(Claimed {
                user,
                key: key.as_str().to_owned(),
            });
            let res = next.call(req).await?;
            answer_and_store(&state, user, &key, res).await
        }
        Claim::Replay(stored) => Ok(req.into_response(replay(&stored))),
        Claim::Mismatch => {
            let e = AppError::new(
                ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was used for a different request; use a new key for a new request",
            )
            .with_field(IdempotencyKey::HEADER);
            Ok(req.into_response(e.error_response()))
        }
        Claim::InProgress => {
            let mut e = AppError::new(
                ErrorCode::RequestInProgress,
                "the first request with this Idempotency-Key is still being answered",
            );
            e.retry_after = Some(1);
            Ok(req.into_response(e.error_response()))
        }
    }
}

fn request_hash(req: &ServiceRequest, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(req.method().as_str());
    h.update(b" ");
    h.update(req.path());
    h.update(b"?");
    h.update(req.query_string());
    h.update(b"\n");
    h.update(body);
    infra::encoding::hex(&h.finalize())
}

async fn claim(state: &AppState, user: Uuid, key: &IdempotencyKey, hash: &str) -> Result<Claim, AppError> {
    // The connection goes back to the pool before the handler borrows its own.
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(store::claim(&mut conn, user, key.as_str(), hash).await?)
}

async fn answer_and_store(
    state: &AppState,
    user: Uuid,
    key: &IdempotencyKey,
    res: ServiceResponse<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (req, res) = res.into_parts();
    let (head, res_body) = res.into_parts();
    let status = head.status();
    let bytes = body::to_bytes(res_body)
        .await
        .map_err(|_| AppError::internal(anyhow::anyhow!("the response body could not be read")))?;
    let header = |name| {
        head.headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let stored = Stored {
        status: status.as_u16(),
        content_type: header(header::CONTENT_TYPE),
        location: header(header::LOCATION),
        body: bytes.to_vec(),
    };
    if head.extensions().get::<AnswerStored>().is_some() {
        // Stored with the command itself.
    } else if status.is_server_error() {
        // A failure on our side is not an answer worth keeping: the client's retry gets a fresh try. Most such
        // failures are the database going away, so the claim is let go of in the background once it is back.
        let (state, key) = (state.clone(), key.as_str().to_owned());
        tokio::spawn(async move { abandon_when_possible(&state, user, &key).await });
    } else {
        // A refusal (4xx) changed nothing, so keeping its answer after the fact is safe. A success that was not kept
        // with its command is a handler that forgot `Answer::keep`: kept here as before, but said loudly.
        if status.is_success() {
            tracing::error!(
                %status,
                "a command under the Idempotency-Key rule did not keep its answer in its own transaction"
            );
        }
        let outcome = match infra::db::pool::conn(&state.db).await {
            Ok(mut conn) => store::finish(&mut conn, user, key.as_str(), &stored).await,
            Err(e) => Err(e),
        };
        if let Err(e) = outcome {
            tracing::error!(error = %e, "the answer to an idempotent request could not be stored");
        }
    }
    Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(bytes))))
}

/// Deletes a claim, trying every second for a minute (after which a retry takes the claim over anyway).
async fn abandon_when_possible(state: &AppState, user: Uuid, key: &str) {
    for _ in 0..60 {
        let outcome = match infra::db::pool::conn(&state.db).await {
            Ok(mut conn) => store::abandon(&mut conn, user, key).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => return,
            Err(e) => tracing::debug!(error = %e, "an idempotency claim could not be let go of yet"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    tracing::warn!("an idempotency claim could not be let go of; a retry takes it over once it is a minute old");
}

fn replay(stored: &Stored) -> HttpResponse {
    let mut res = HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK));
    if let Some(ct) = &stored.content_type {
        res.insert_header((header::CONTENT_TYPE, ct.as_str()));
    }
    if let Some(location) = &stored.location {
        res.insert_header((header::LOCATION, location.as_str()));
    }
    res.insert_header((REPLAYED, "true"));
    res.body(stored.body.clone())
}

impl crate::app::Kept for Answer {
    fn keep(
        &self,
        conn: &mut infra::db::PgConn,
    ) -> impl std::future::Future<Output = Result<(), infra::db::DbError>> + Send {
        Answer::keep(self, conn)
    }
}
