//! `GET /ballots/{id}`: a ballot with its candidates and public key (staff of its region, deputies on its roster).

use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::handlers::ballots::{found, standing, view, Ballot};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// A ballot with its candidates and public key (staff of its region, deputies on its roster).
#[utoipa::path(tag = "ballots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ballot")),
    responses((status = 200, body = Ballot)))]
#[get("/ballots/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let ballot = found(&mut conn, *id).await?;
    let standing = standing(&mut conn, &auth.actor, &ballot).await?;
    Ok(HttpResponse::Ok().json(view(&mut conn, ballot, &standing, state.clock.now()).await?))
}
