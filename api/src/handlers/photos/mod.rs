//! Photos: uploaded before the report that uses them, re-encoded without metadata, served only to those who may see
//! them (their uploader, and whoever sees the issue they belong to).

pub mod get;
pub mod thumbnail;
pub mod upload;
pub mod wechat_check;

pub use crate::app::photos::Photo;
pub use crate::handlers::pictures::Jpeg;
use crate::handlers::pictures::{deliver, send};

use crate::app::error::AppResult;
use crate::app::photos::Picture;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::HttpResponse;
use uuid::Uuid;

/// Picture `key` of photo `id`, for one who may see it.
pub(super) async fn serve(state: &AppState, reader: &Reader, id: Uuid, key: Picture) -> AppResult<HttpResponse> {
    let delivery = crate::app::photos::seen(state, reader.holder(), id, key).await?;
    Ok(deliver(delivery, "private, max-age=86400, immutable"))
}
