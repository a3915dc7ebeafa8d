//! `GET /scenes/{scene}/wechat-link`: a way into the mini-program for someone who scanned a plain QR code with a
//! phone camera, or opened the scene's page in a browser.

use crate::app::error::{AppError, AppResult};
use crate::app::scenes::WeChatLink;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use domain::identity::Scene;

/// Ways into the mini-program at this scene (no sign-in needed): a URL Link and a URL Scheme that open the page the
/// QR codes open, with this scene. WeChat makes them (`/wxa/generate_urllink`, `/wxa/generatescheme`) for 30 days;
/// every instance shares them through Redis until a day before they end. Without WeChat settings the answer is a 503
/// `wechat_not_configured`: the page then tells the person to scan the code with WeChat.
#[utoipa::path(
    tag = "scenes",
    params(("scene" = String, Path, description = "The scene a QR code carries", example = "k7mq2xw9adf3hn4rtp8e")),
    responses(
        (status = 200, body = WeChatLink),
        (status = 404, description = "No such scene", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "WeChat is not configured or not answering", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/scenes/{scene}/wechat-link")]
pub async fn wechat_link(state: web::Data<AppState>, scene: web::Path<String>) -> AppResult<HttpResponse> {
    let scene = Scene::parse(&scene).map_err(|_| AppError::not_found("scene"))?;
    let link = crate::app::scenes::wechat_link(&state, &scene).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .json(link))
}
