//! `GET /ballots/{id}/results`: the results of a ballot, public once it is tallied (404 before).

use super::{results_of, Results};
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
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(HttpResponse::Ok().json(results_of(&mut conn, *id).await?))
}
