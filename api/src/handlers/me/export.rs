use crate::app::error::AppResult;
use crate::app::me::export::Export;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// Everything held about the caller, as a JSON download (any role).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Export),
    )
)]
#[get("/me/export")]
pub async fn export(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    let export = crate::app::me::export::export(&state, &auth).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"minsheng-export.json\"",
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(export))
}
