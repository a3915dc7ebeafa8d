//! Photos as their owner and the issues and reports that use them see them.

use crate::error::{ApiError, ApiResult};
use chrono::{DateTime, Utc};
use infra::db::photos::{PhotoRow, PhotoUse};
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A stored photo.
#[derive(Debug, Serialize, ToSchema)]
pub struct Photo {
    pub id: Uuid,
    /// The picture (JPEG, metadata stripped). Needs the same bearer token.
    pub url: String,
    /// At most 320 pixels on its longest side.
    pub thumbnail_url: String,
    pub width: i32,
    pub height: i32,
    pub content_type: String,
    pub size_bytes: i32,
    /// The issue it is attached to, once a report used it.
    pub issue_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<PhotoRow> for Photo {
    fn from(r: PhotoRow) -> Self {
        Photo {
            url: format!("/api/v1/photos/{}", r.id),
            thumbnail_url: format!("/api/v1/photos/{}/thumbnail", r.id),
            id: r.id,
            width: r.width,
            height: r.height,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            issue_id: r.issue_id,
            created_at: r.created_at,
        }
    }
}

/// Admits the token's `holder` and lets them see photo `id`: its uploader, whoever sees the
/// issue it belongs to, and anyone signed in for a project report's (those are on the project's public page). The
/// caller's statement and the photo's are sent together (one wait); the caller is judged first, so an ended session
/// learns nothing, not even whether the photo exists.
///
/// # Errors
/// The door's 401s; 404 `photo` for a photo that is not there or not theirs to see.
pub async fn may_see(conn: &mut PgConn, holder: crate::app::door::Holder, id: Uuid) -> ApiResult<()> {
    let (admitted, row) = futures_util::join!(
        crate::app::door::admitted(conn, holder),
        infra::db::photos::find(conn, id)
    );
    let actor = admitted?.actor;
    let row = row?.ok_or_else(|| ApiError::not_found("photo"))?;
    if row.owner_id != actor.user_id && row.report_id.is_none() {
        let issue = row.issue_id.ok_or_else(|| ApiError::not_found("photo"))?;
        crate::app::issues::load::visible_issue(conn, &actor, issue)
            .await
            .map_err(|_| ApiError::not_found("photo"))?;
    }
    Ok(())
}

/// Attaches the owner's own unused photos to an issue or a project report, or names the first that cannot be.
pub async fn attach_own(conn: &mut PgConn, owner: Uuid, photos: &[Uuid], to: PhotoUse) -> ApiResult<()> {
    let refused = infra::db::photos::attach(conn, owner, photos, to).await?;
    if let Some(first) = refused.first() {
        let i = photos.iter().position(|p| p == first).unwrap_or(0);
        return Err(ApiError::rule(
            &format!("photo_ids[{i}]"),
            "photo_unavailable",
            "this photo is not one you uploaded, or something else already uses it",
        ));
    }
    Ok(())
}
