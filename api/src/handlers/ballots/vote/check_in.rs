//! `POST /ballots/{id}/check-in`: check in to vote (a deputy on the roster, while the ballot is open).

use super::base64_field;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::handlers::ballots::{found, phase_of, standing, Standing};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use domain::Invalid;
use infra::ballot_key::{digest, sign_blinded, KeyError};
use infra::db::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// The deputy's voting token, blinded with the ballot's public key (RFC 9474, RSABSSA-SHA384-PSS-Deterministic),
    /// base64. The token itself is 32 random bytes the client keeps.
    pub blinded_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckedIn {
    /// The ballot key's signature of the blinded token, base64: the client unblinds it into the token's signature.
    pub blind_signature: String,
}

/// Check in to vote (a deputy on the roster, while the ballot is open): the ballot's key signs the blinded token.
///
/// Once per deputy: a retry with the same blinded token is signed again (the answer was lost); another token is a
/// 409. The service records that the deputy checked in, never the token.
#[utoipa::path(tag = "ballots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ballot")),
    request_body = CheckIn,
    responses((status = 200, body = CheckedIn)))]
#[post("/ballots/{id}/check-in")]
pub async fn check_in(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<CheckIn>,
) -> ApiResult<HttpResponse> {
    let blinded = base64_field(&body.blinded_token, "blinded_token")?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, *id).await?;
    if let Standing::Staff = standing(&mut conn, &auth.actor, &ballot).await? {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "only the deputies on the roster vote",
        ));
    }
    phase_of(&ballot, state.clock.now())
        .may_vote()
        .map_err(|why| ApiError::new(ErrorCode::Conflict, why))?;
    let key = infra::db::ballots::signing_key(&mut conn, ballot.id)
        .await?
        .ok_or_else(|| ApiError::not_found("ballot"))?;
    let signature = sign_blinded(&key, &blinded).map_err(|e| match e {
        KeyError::NotBlinded => ApiError::from(Invalid::new(
            "blinded_token",
            "not_blinded",
            "is not a token blinded with this ballot's public key",
        )),
        other => ApiError::internal(other),
    })?;
    let hash = digest(&blinded);
    let deputy = auth.actor.user_id;
    let answer = conn
        .transaction(async |conn| {
            if !infra::db::ballots::check_in(conn, ballot.id, deputy, &hash).await? {
                let before = infra::db::ballots::roster_entry(conn, ballot.id, deputy).await?;
                if before.flatten().as_deref() != Some(hash.as_slice()) {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "you have checked in to this ballot already, with another token",
                    ));
                }
            }
            let checked_in = CheckedIn {
                blind_signature: STANDARD.encode(signature),
            };
            let answer = Answer::json(&auth, StatusCode::OK, None, &checked_in)?;
            answer.keep(conn).await?;
            Ok(answer)
        })
        .await?;
    Ok(answer.respond())
}
