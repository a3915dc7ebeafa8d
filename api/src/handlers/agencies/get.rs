use super::Agency;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// One agency.
#[utoipa::path(
    tag = "agencies",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Agency),
    )
)]
#[get("/agencies/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Agency::from(
        crate::app::organisation::agencies::get(&state, &auth, *id).await?,
    )))
}
