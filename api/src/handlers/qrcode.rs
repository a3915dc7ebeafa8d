//! The QR code endpoints' shared parts: the width asked for, the answers they give, and the PNG as sent
//! (`app::codes` draws it).

use crate::app::codes::Code;
use crate::app::error::AppResult;
use actix_web::http::header;
use actix_web::HttpResponse;
use domain::identity::CodeWidth;
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

/// A drawn code as the answer: the PNG, cached privately for an hour, its scene named in `X-Minsheng-Scene`.
#[must_use]
pub fn send(code: Code) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .insert_header((SCENE_HEADER, code.scene.as_str()))
        .body(code.png)
}
