//! Pictures as answers, shared by the resources that send them: a photo's JPEG (its page, its thumbnail, a public
//! project's photo). Not a resource: no route of its own.

use actix_web::http::header;
use actix_web::HttpResponse;
use infra::storage::{Delivery, Stored};

/// A JPEG picture.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Jpeg(pub Vec<u8>);

/// A photo's picture as JPEG, streamed from the photo store, with `cache` for caches.
#[must_use]
pub fn send(stored: Stored, cache: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((header::CACHE_CONTROL, cache))
        .no_chunking(stored.size)
        .streaming(stored.body)
}

/// A photo's picture as the store hands it out: streamed, or a redirect to a link the store presigned (which
/// expires, so the redirect itself is not kept by caches).
#[must_use]
pub fn deliver(delivery: Delivery, cache: &'static str) -> HttpResponse {
    match delivery {
        Delivery::Stream(stored) => send(stored, cache),
        Delivery::Link(url) => HttpResponse::TemporaryRedirect()
            .insert_header((header::LOCATION, url))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
    }
}
