//! `GET /ballots/{id}`: a ballot with its candidates and public key (staff of its region, deputies on its roster).

use crate::app::ballots::Ballot;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// A ballot with its candidates and public key (staff of its region, deputies on its roster).
#[utoipa::path(tag = "ballots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ballot")),
    responses((status = 200, body = Ballot)))]
#[get("/ballots/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::ballots::read::get(&state, &auth, *id).await?))
}
