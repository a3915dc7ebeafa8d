//! `POST /ballots/{id}/check-in`: check in to vote (a deputy on the roster, while the ballot is open).

use super::base64_field;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
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
) -> AppResult<HttpResponse> {
    let blinded = base64_field(&body.blinded_token, "blinded_token")?;
    let answer = app::ballots::commands::check_in(&state, auth.caller(), *id, &blinded, |signature| {
        let checked_in = CheckedIn {
            blind_signature: STANDARD.encode(signature),
        };
        Answer::json(&auth, StatusCode::OK, None, &checked_in)
    })
    .await?;
    Ok(answer.respond())
}
