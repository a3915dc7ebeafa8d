//! Photos: uploaded before the report that uses them, re-encoded without metadata, served only to those who may see
//! them (their uploader, and whoever sees the issue they belong to).

pub mod get;
pub mod thumbnail;
pub mod upload;

pub use crate::app::photos::Photo;

use crate::app::issues::load::visible_issue;
use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::HttpResponse;
use uuid::Uuid;

/// A JPEG picture.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Jpeg(pub Vec<u8>);

/// Serves photo `id` (its `key`: the photo or its thumbnail) to its uploader, and to whoever sees the issue it
/// belongs to; a project report's photos to anyone signed in.
pub(super) async fn serve(
    state: &AppState,
    auth: &AuthUser,
    id: Uuid,
    key: fn(Uuid) -> String,
) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::photos::find(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("photo"))?;
    // A project report's photos are on the project's public page already.
    if row.owner_id != auth.actor.user_id && row.report_id.is_none() {
        let issue = row.issue_id.ok_or_else(|| ApiError::not_found("photo"))?;
        visible_issue(&mut conn, &auth.actor, issue)
            .await
            .map_err(|_| ApiError::not_found("photo"))?;
    }
    drop(conn);
    send(state, id, key, "private, max-age=86400, immutable").await
}

/// The stored picture of photo `id` (its `key`: the photo or its thumbnail) as JPEG, with `cache` for caches.
pub async fn send(state: &AppState, id: Uuid, key: fn(Uuid) -> String, cache: &'static str) -> ApiResult<HttpResponse> {
    let bytes = state.store.get(&key(id)).await.map_err(|e| {
        ApiError::unavailable(
            "photo storage",
            Some(anyhow::Error::from(e).context(format!("photo {id}"))),
        )
    })?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((header::CACHE_CONTROL, cache))
        .body(bytes))
}
