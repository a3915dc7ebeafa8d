//! Voting in two requests that nothing joins. Checking in (signed in, on the roster) gets a blinded token signed;
//! casting (not signed in) brings the unblinded token, its signature and the choices. The service sees who checked in
//! and, separately, which papers came; the blinding keeps it from telling which paper was whose.

use super::{contest_of, found, phase_of, standing, Standing};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use domain::Invalid;
use infra::ballot_key::{digest, receipt, sign_blinded, verifies, KeyError, TOKEN_BYTES};
use infra::db::ballots::Cast;
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

fn base64_field(raw: &str, field: &str) -> Result<Vec<u8>, Invalid> {
    STANDARD
        .decode(raw.trim())
        .map_err(|_| Invalid::new(field, "malformed", "must be base64"))
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CastPaper {
    /// The voting token (32 bytes), base64.
    pub token: String,
    /// The token's signature by the ballot's key (the unblinded check-in answer), base64.
    pub signature: String,
    /// The projects chosen: at most as many as there are seats, each a candidate once; fewer, or none, is a valid
    /// paper.
    pub choices: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaperReceipt {
    /// Keep it to check the paper was counted (`GET /ballots/{id}/receipts/{receipt}`). The service stores only its
    /// hash, with the paper and nothing else.
    #[schema(example = "3f9a0c1be24d5a67c810")]
    pub receipt: String,
}

/// Cast a paper, without signing in: the token's signature is the right to vote, and a paper sent with an
/// `Authorization` header is refused so that it can never name its voter.
///
/// One paper per token: the same paper again answers the same receipt (200); other choices with a spent token are a
/// 409.
#[utoipa::path(tag = "ballots",
    params(("id" = Uuid, Path, description = "The ballot")),
    request_body = CastPaper,
    responses((status = 201, body = PaperReceipt), (status = 200, body = PaperReceipt)))]
#[post("/ballots/{id}/papers")]
pub async fn cast(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<CastPaper>,
) -> ApiResult<HttpResponse> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        return Err(ApiError::new(
            ErrorCode::InvalidHeader,
            "papers are cast without signing in: send no Authorization header",
        )
        .with_field("Authorization"));
    }
    let body = body.0;
    let token = base64_field(&body.token, "token")?;
    if token.len() != TOKEN_BYTES {
        return Err(Invalid::new("token", "malformed", format!("must be {TOKEN_BYTES} bytes")).into());
    }
    let signature = base64_field(&body.signature, "signature")?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, *id).await?;
    phase_of(&ballot, state.clock.now())
        .may_vote()
        .map_err(|why| ApiError::new(ErrorCode::Conflict, why))?;
    if !verifies(&ballot.public_key, &token, &signature) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "the token is not signed by this ballot's key: check in first",
        )
        .with_field("signature"));
    }
    let projects = infra::db::ballots::projects_of(&mut conn, &[ballot.id]).await?;
    let paper = contest_of(&ballot, &projects)?.paper(body.choices)?;
    let receipt = receipt(&token);
    let outcome = infra::db::ballots::cast(
        &mut conn,
        ballot.id,
        &digest(&token),
        paper.choices(),
        &digest(receipt.as_bytes()),
    )
    .await?;
    match outcome {
        Cast::New => Ok(HttpResponse::Created().json(PaperReceipt { receipt })),
        Cast::Again => Ok(HttpResponse::Ok().json(PaperReceipt { receipt })),
        Cast::Spent => Err(ApiError::new(
            ErrorCode::Conflict,
            "this token has cast its paper already",
        )),
    }
}
