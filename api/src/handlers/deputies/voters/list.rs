//! `GET /deputies/{id}/voters`: who follows the deputy (the deputy, staff over them).

use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The voters who follow a deputy.
#[derive(Debug, Serialize, ToSchema)]
pub struct Voters {
    pub count: usize,
    pub voter_ids: Vec<Uuid>,
}

/// Who follows the deputy (the deputy, staff over them). Names and phones stay with the citizens' accounts.
#[utoipa::path(operation_id = "deputy_voters", tag = "deputies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy")),
    responses((status = 200, body = Voters)))]
#[get("/deputies/{id}/voters")]
pub async fn voters(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let voter_ids = crate::app::voters::of_deputy(&state, &auth, *id).await?;
    Ok(HttpResponse::Ok().json(Voters {
        count: voter_ids.len(),
        voter_ids,
    }))
}
