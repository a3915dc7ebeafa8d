//! Photos: uploaded before the report that uses them, re-encoded without metadata, served only to those who may see
//! them (their uploader, and whoever sees the issue they belong to).

pub mod get;
pub mod thumbnail;
pub mod upload;
pub mod wechat_check;

pub use crate::app::photos::Photo;
use crate::handlers::pictures::send;
pub use crate::handlers::pictures::Jpeg;

use crate::app::error::AppResult;
use crate::app::photos::may_see;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::HttpResponse;
use uuid::Uuid;

/// Serves photo `id` (its `key`: the photo or its thumbnail) to those who may see it (`app::photos::may_see`).
pub(super) async fn serve(
    state: &AppState,
    reader: &Reader,
    id: Uuid,
    key: fn(Uuid) -> String,
) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    may_see(&mut conn, reader.holder(), id).await?;
    drop(conn);
    send(state, id, key, "private, max-age=86400, immutable").await
}
