//! `POST /ballots/{id}/papers`: cast a paper, without signing in.

use super::base64_field;
use crate::app;
use crate::app::ballots::commands::Casting;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::Json;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use domain::ballot::evaluation::Mark;
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
    /// An election's paper: the projects chosen, at most as many as there are seats, each a candidate once; fewer,
    /// or none, is a valid paper.
    #[serde(default)]
    pub choices: Vec<Uuid>,
    /// An evaluation's paper (满意度测评): each project of the evaluation rated at most once; one left out is not
    /// rated by this paper.
    #[serde(default)]
    pub marks: Vec<MarkBody>,
}

/// A deputy's rating of one project in an evaluation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkBody {
    pub project_id: Uuid,
    /// `satisfied` 满意, `basically` 基本满意, `dissatisfied` 不满意.
    pub mark: Mark,
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
    let signature = base64_field(&body.signature, "signature")?;
    let paper = Casting {
        token: &token,
        signature: &signature,
        choices: body.choices,
        marks: body.marks.into_iter().map(|m| (m.project_id, m.mark)).collect(),
    };
    let (cast, receipt) = app::ballots::commands::cast(&state, *id, paper).await?;
    let answer = PaperReceipt { receipt };
    Ok(match cast {
        Cast::New => HttpResponse::Created().json(answer),
        Cast::Again | Cast::Spent => HttpResponse::Ok().json(answer),
    })
}
