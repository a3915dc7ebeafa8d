use super::Me;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// The caller: roles, region, agency, stations (any role).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::me::me(&state, &auth).await?))
}
