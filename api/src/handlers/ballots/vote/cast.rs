//! `POST /ballots/{id}/papers`: cast a paper, without signing in.

use super::base64_field;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::Json;
use crate::handlers::ballots::{contest_of, found, phase_of};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use domain::Invalid;
use infra::ballot_key::{digest, receipt, verifies, TOKEN_BYTES};
use infra::db::ballots::Cast;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

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
) -> AppResult<HttpResponse> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        return Err(AppError::new(
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
        .map_err(|why| AppError::new(ErrorCode::Conflict, why))?;
    if !verifies(&ballot.public_key, &token, &signature) {
        return Err(AppError::new(
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
        Cast::Spent => Err(AppError::new(
            ErrorCode::Conflict,
            "this token has cast its paper already",
        )),
    }
}
