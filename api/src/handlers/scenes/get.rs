use super::SceneView;
use crate::app::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use domain::identity::Scene;

/// What a scanned QR code points to (no sign-in needed).
///
/// A station (name, address, region, reception days, its deputies) or a deputy (name, level, stations).
/// An unknown scene, or one whose station or deputy is disabled, answers 404.
#[utoipa::path(
    tag = "scenes",
    params(("scene" = String, Path, description = "The scene a QR code carries", example = "k7mq2xw9adf3hn4rtp8e")),
    responses(
        (status = 200, body = SceneView),
    )
)]
#[get("/scenes/{scene}")]
pub async fn get(state: web::Data<AppState>, scene: web::Path<String>) -> AppResult<HttpResponse> {
    // A malformed scene cannot exist: it is simply not found.
    let scene = Scene::parse(&scene).map_err(|_| AppError::not_found("scene"))?;
    let view = crate::app::scenes::get(&state, &scene).await?;
    // Public and the same for everyone; a minute of caching spares the database a crowd scanning one poster.
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(view))
}
