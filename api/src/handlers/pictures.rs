//! Pictures as answers, shared by the resources that send them: a photo's JPEG (its page, its thumbnail, a public
//! project's photo). Not a resource: no route of its own.

use crate::app::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::HttpResponse;
use uuid::Uuid;

/// A JPEG picture.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Jpeg(pub Vec<u8>);

/// The stored picture of photo `id` (its `key`: the photo or its thumbnail) as JPEG, with `cache` for caches.
pub async fn send(state: &AppState, id: Uuid, key: fn(Uuid) -> String, cache: &'static str) -> AppResult<HttpResponse> {
    let bytes = state.store.get(&key(id)).await.map_err(|e| {
        AppError::unavailable(
            "photo storage",
            Some(anyhow::Error::from(e).context(format!("photo {id}"))),
        )
    })?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((header::CACHE_CONTROL, cache))
        .body(bytes))
}
