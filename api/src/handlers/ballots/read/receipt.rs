//! `GET /ballots/{id}/receipts/{receipt}`: check a receipt.

use crate::app::error::AppResult;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Whether a paper was counted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptCheck {
    pub receipt: String,
    /// True when a paper with this receipt is among the ballot's papers.
    pub counted: bool,
}

/// Check a receipt: was the paper cast with it counted? Anyone holding the code may ask; the answer says nothing of
/// what the paper chose, so a receipt cannot prove a vote to someone buying it.
#[utoipa::path(tag = "ballots",
    params(("id" = Uuid, Path, description = "The ballot"),
        ("receipt" = String, Path, description = "The receipt code the paper's answer gave (20 hex digits)")),
    responses((status = 200, body = ReceiptCheck),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/ballots/{id}/receipts/{receipt}")]
pub async fn receipt(state: web::Data<AppState>, path: web::Path<(Uuid, String)>) -> AppResult<HttpResponse> {
    let (id, receipt) = path.into_inner();
    let receipt = receipt.to_ascii_lowercase();
    if receipt.len() != 20 || !receipt.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(domain::Invalid::new("receipt", "malformed", "20 hexadecimal digits").into());
    }
    let counted = crate::app::ballots::read::counted(&state, id, &receipt).await?;
    Ok(HttpResponse::Ok().json(ReceiptCheck { receipt, counted }))
}
