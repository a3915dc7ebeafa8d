use super::Station;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// One station.
#[utoipa::path(
    tag = "stations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Station),
    )
)]
#[get("/stations/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Station::from(
        crate::app::organisation::stations::get(&state, &auth, *id).await?,
    )))
}
