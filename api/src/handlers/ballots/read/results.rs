//! `GET /ballots/{id}/results`: the results of a ballot, public once it is tallied (404 before).

use crate::app::ballots::Results;
use crate::app::error::AppResult;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// The results of a ballot, public once it is tallied (404 before).
#[utoipa::path(tag = "ballots",
    params(("id" = Uuid, Path, description = "The ballot")),
    responses((status = 200, body = Results)))]
#[get("/ballots/{id}/results")]
pub async fn results(state: web::Data<AppState>, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::ballots::read::results(&state, *id).await?))
}
