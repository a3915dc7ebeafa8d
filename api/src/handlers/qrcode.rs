//! QR codes that lead to a station or a deputy: WeChat's mini-program codes when WeChat is configured, plain QR codes
//! of `{MINSHENG_PUBLIC_URL}/s/{scene}` otherwise (WeChat opens the mini-program for those too, once the URL prefix is
//! registered as the mini-program's "scan ordinary QR code" rule).

use crate::app::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::HttpResponse;
use domain::identity::{CodeWidth, SceneTarget};
use infra::db::PgConn;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// A PNG picture.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Png(pub Vec<u8>);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CodeQuery {
    /// Pixels, 280 to 1280 (default 430).
    pub width: Option<u32>,
}

impl CodeQuery {
    pub fn width(&self) -> AppResult<CodeWidth> {
        Ok(self
            .width
            .map(CodeWidth::parse)
            .transpose()?
            .unwrap_or(CodeWidth::DEFAULT))
    }
}

/// What a code endpoint answers, for the OpenAPI document (both code endpoints answer alike).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum CodeResponses {
    /// The code.
    #[response(
        status = 200,
        content_type = "image/png",
        headers(("X-Minsheng-Scene" = String, description = "The scene the code carries"))
    )]
    Code(Png),
    /// Not allowed to draw this code.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(crate::problem::Problem),
    /// No such station or deputy within the caller's reach.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(crate::problem::Problem),
    /// Disabled: the code would lead nowhere.
    #[response(status = 409, content_type = "application/problem+json")]
    Disabled(crate::problem::Problem),
    /// WeChat refused to draw the code.
    #[response(status = 502, content_type = "application/problem+json")]
    WeChatRefused(crate::problem::Problem),
    /// WeChat is not answering.
    #[response(status = 503, content_type = "application/problem+json")]
    WeChatUnavailable(crate::problem::Problem),
}

/// The response header that names the scene a code carries, for printing beside it.
pub const SCENE_HEADER: &str = "X-Minsheng-Scene";

/// A PNG code for `target`, whose scene is made on first need and kept for good.
pub async fn draw(
    state: &AppState,
    conn: &mut PgConn,
    target: SceneTarget,
    width: CodeWidth,
) -> AppResult<HttpResponse> {
    let scene = infra::db::scenes::ensure(conn, target).await?;
    let png = match &state.wechat {
        Some(wechat) => {
            let drawn = wechat.draw_code(scene.as_str(), width.pixels()).await?;
            let bytes = drawn.bytes;
            tokio::task::spawn_blocking(move || infra::qr::to_png(&bytes))
                .await
                .map_err(AppError::internal)?
                .map_err(|e| AppError::from(infra::wechat::WeChatError::Unreachable(format!("not a picture: {e}"))))?
        }
        None => {
            let url = format!("{}/s/{}", state.config.public_url, scene.as_str());
            tokio::task::spawn_blocking(move || infra::qr::plain_png(&url, width.pixels()))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)?
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .insert_header((SCENE_HEADER, scene.as_str()))
        .body(png))
}
