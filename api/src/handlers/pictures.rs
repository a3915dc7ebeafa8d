//! Pictures as answers, shared by the resources that send them: a photo's JPEG (its page, its thumbnail, a public
//! project's photo). Not a resource: no route of its own.

use actix_web::http::header;
use actix_web::HttpResponse;

/// A JPEG picture.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Jpeg(pub Vec<u8>);

/// A photo's picture as JPEG, with `cache` for caches.
#[must_use]
pub fn send(bytes: Vec<u8>, cache: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((header::CACHE_CONTROL, cache))
        .body(bytes)
}
