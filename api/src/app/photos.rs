//! Photos as their owner and the issues and reports that use them see them.

use crate::app::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use infra::db::photos::{PhotoRow, PhotoUse};
use infra::db::PgConn;
use infra::storage::{Delivery, Stored};
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
/// issue it belongs to, and anyone signed in for a project report's or money entry's (those are on the project's
/// public page). The
/// caller's statement and the photo's are sent together (one wait); the caller is judged first, so an ended session
/// learns nothing, not even whether the photo exists.
///
/// # Errors
/// The door's 401s; 404 `photo` for a photo that is not there or not theirs to see.
pub async fn may_see(conn: &mut PgConn, holder: crate::app::door::Holder, id: Uuid) -> AppResult<()> {
    let (admitted, row) = futures_util::join!(
        crate::app::door::admitted(conn, holder),
        infra::db::photos::find(conn, id)
    );
    let actor = admitted?.actor;
    let row = row?.ok_or_else(|| AppError::not_found("photo"))?;
    if row.owner_id != actor.user_id && row.report_id.is_none() && row.spending_id.is_none() {
        let issue = row.issue_id.ok_or_else(|| AppError::not_found("photo"))?;
        crate::app::issues::load::visible_issue(conn, &actor, issue)
            .await
            .map_err(|_| AppError::not_found("photo"))?;
    }
    Ok(())
}

/// Attaches the owner's own unused photos to an issue or a project report, or names the first that cannot be.
/// Answers whether WeChat's picture check already found one of them risky (its verdict came before the report).
pub async fn attach_own(conn: &mut PgConn, owner: Uuid, photos: &[Uuid], to: PhotoUse) -> AppResult<bool> {
    let attached = infra::db::photos::attach(conn, owner, photos, to).await?;
    if let Some(first) = attached.refused.first() {
        let i = photos.iter().position(|p| p == first).unwrap_or(0);
        return Err(AppError::rule(
            &format!("photo_ids[{i}]"),
            "photo_unavailable",
            "this photo is not one you uploaded, or something else already uses it",
        ));
    }
    Ok(attached.risky)
}

/// How long WeChat may fetch a photo sent to its content check.
const CHECK_LINK_LIFE: chrono::Duration = chrono::Duration::hours(1);

/// The key check links are signed with: derived from the deployment's token secret, for this use only.
fn check_link_key(state: &AppState) -> Vec<u8> {
    use secrecy::ExposeSecret;
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(b"minsheng photo check link\0");
    h.update(state.config.jwt_secret.expose_secret().as_bytes());
    h.finalize().to_vec()
}

fn check_link_signature(state: &AppState, id: Uuid, expires: i64) -> hmac::Hmac<sha2::Sha256> {
    use hmac::Mac;
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&check_link_key(state))
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(format!("{id}.{expires}").as_bytes());
    mac
}

/// A link WeChat's content check fetches photo `id` from, without signing in: it works for an hour, and only while
/// the photo waits for its verdict.
#[must_use]
pub fn check_link(state: &AppState, id: Uuid) -> String {
    use hmac::Mac;
    let expires = (chrono::Utc::now() + CHECK_LINK_LIFE).timestamp();
    let signature = infra::encoding::hex(&check_link_signature(state, id, expires).finalize().into_bytes());
    format!(
        "{}/api/v1/photos/{id}/wechat-check?expires={expires}&signature={signature}",
        state.config.public_url
    )
}

/// Whether `signature` (hex) is this deployment's for photo `id` until `expires`, and `expires` is still to come.
#[must_use]
pub fn check_link_holds(state: &AppState, id: Uuid, expires: i64, signature: &str) -> bool {
    use hmac::Mac;
    if expires < chrono::Utc::now().timestamp() {
        return false;
    }
    let Some(bytes) = infra::encoding::unhex(signature) else {
        return false;
    };
    check_link_signature(state, id, expires).verify_slice(&bytes).is_ok()
}

/// Sends a citizen's new photo to WeChat's asynchronous content check, when WeChat and its message push are
/// configured: the verdict arrives later (`handlers::wechat::push`). A photo that cannot be sent is held for a person
/// to look at (`review`); WeChat being away never stops an upload.
pub async fn send_for_check(
    state: &AppState,
    conn: &mut PgConn,
    actor: &domain::permission::Actor,
    id: Uuid,
) -> AppResult<()> {
    let (Some(wechat), Some(true)) = (
        state.wechat.as_ref(),
        state.config.wechat.as_ref().map(|w| w.push_token.is_some()),
    ) else {
        return Ok(());
    };
    if actor.role != domain::role::Role::Citizen {
        return Ok(());
    }
    let Some(openid) = infra::db::users::openid_of(conn, actor.user_id).await? else {
        return Ok(());
    };
    let scene = infra::wechat::TextScene::Comment;
    match wechat.check_picture(&openid, &check_link(state, id), scene).await {
        Ok(trace_id) => infra::db::photos::check_sent(conn, id, &trace_id).await?,
        Err(e) => {
            tracing::warn!(error = %e, photo_id = %id, "could not send a photo to WeChat's content check; held for review");
            infra::db::photos::check_unsent(conn, id).await?;
        }
    }
    Ok(())
}

/// Records WeChat's verdict on the photo sent under `trace_id` (`pass`, `review`, `risky`; anything else is taken
/// as `review`), and holds a risky photo's issue for review, in one transaction. A trace id of no photo of ours is
/// left alone.
pub async fn record_verdict(state: &AppState, trace_id: &str, suggest: &str) -> AppResult<()> {
    use infra::db::AsyncConnection;
    let verdict = match suggest {
        "pass" => "pass",
        "risky" => "risky",
        _ => "review",
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    conn.transaction(async |conn| {
        let found = infra::db::photos::record_verdict(conn, trace_id, verdict).await?;
        if let (Some((photo, Some(issue))), "risky") = (found, verdict) {
            infra::db::issues::hold_for_review(conn, issue).await?;
            tracing::info!(photo_id = %photo, issue_id = %issue, "WeChat found a photo risky; its issue is held for review");
        }
        Ok::<_, AppError>(())
    })
    .await
}

/// Keeps a photo the caller uploaded (`bytes`, the form's file): re-encoded as JPEG with its thumbnail, bytes
/// stored before the row so that a row never points at a missing file, then sent to WeChat's picture check. The
/// same bytes again answer the photo kept the first time. Done: the photo, and whether it is new.
///
/// # Errors
/// 403 for a caller who may not upload; 415 / `validation_failed` on `file` for what is not a readable picture or
/// has too many pixels; 503 when the photo storage is not answering.
pub async fn upload(state: &AppState, caller: &crate::app::Caller, bytes: Vec<u8>) -> AppResult<(PhotoRow, bool)> {
    use sha2::{Digest, Sha256};
    domain::permission::may_upload_photo(&caller.actor)?;
    let limits = state.config.photos;
    let sha256 = infra::encoding::hex(&Sha256::digest(&bytes));
    let owner = caller.actor.user_id;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    if let Some(existing) = infra::db::photos::find_by_hash(&mut conn, owner, &sha256).await? {
        return Ok((existing, false));
    }
    drop(conn);
    let processed = tokio::task::spawn_blocking(move || infra::photo::process(&bytes, limits.max_pixels))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| photo_error(&e))?;
    let id = Uuid::now_v7();
    let (width, height, size) = (processed.width, processed.height, processed.jpeg.len());
    // Bytes first, row second: a row never points at a missing file, and a crash in between leaves only an orphan file.
    for (key, bytes) in [
        (PhotoRow::key(id), processed.jpeg),
        (PhotoRow::thumbnail_key(id), processed.thumbnail),
    ] {
        state
            .store
            .put(&key, bytes)
            .await
            .map_err(|e| AppError::unavailable("photo storage", Some(e.into())))?;
    }
    let row = PhotoRow {
        id,
        owner_id: owner,
        issue_id: None,
        sha256,
        content_type: "image/jpeg".to_owned(),
        width: i32::try_from(width).unwrap_or(i32::MAX),
        height: i32::try_from(height).unwrap_or(i32::MAX),
        size_bytes: i32::try_from(size).unwrap_or(i32::MAX),
        created_at: state.clock.now(),
        report_id: None,
        spending_id: None,
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::photos::insert(&mut conn, &row).await?;
    send_for_check(state, &mut conn, &caller.actor, row.id).await?;
    Ok((row, true))
}

fn photo_error(e: &infra::photo::PhotoError) -> AppError {
    use crate::app::error::ErrorCode;
    use infra::photo::PhotoError;
    match e {
        PhotoError::NotAPicture => AppError::new(ErrorCode::UnsupportedMediaType, e.to_string()).with_field("file"),
        PhotoError::TooManyPixels { .. } => AppError::rule("file", "too_many_pixels", e.to_string()),
        // The decoder's own words are for the log: they describe its insides, not what the sender can change.
        PhotoError::Unreadable(why) => {
            tracing::info!(%why, "an uploaded picture could not be decoded");
            AppError::rule(
                "file",
                "unreadable_picture",
                "the picture could not be read; it may be damaged or cut short",
            )
        }
    }
}

/// Which of a photo's pictures: the photo itself or its thumbnail.
pub type Picture = fn(Uuid) -> String;

/// The photo store's failure as the caller's 503 (or 404 for a picture the store has lost).
fn storage_error(id: Uuid, e: std::io::Error) -> AppError {
    AppError::unavailable(
        "photo storage",
        Some(anyhow::Error::from(e).context(format!("photo {id}"))),
    )
}

/// Photo `id`'s picture, for one who may see it: its uploader, and whoever sees the issue it belongs to.
///
/// # Errors
/// 404 for anyone else, and for a photo unknown; 503 when the photo store does not answer.
pub async fn seen(state: &AppState, holder: crate::app::door::Holder, id: Uuid, key: Picture) -> AppResult<Delivery> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    may_see(&mut conn, holder, id).await?;
    drop(conn);
    state.store.deliver(&key(id)).await.map_err(|e| storage_error(id, e))
}

/// A photo of an elected project's report, for anyone.
///
/// # Errors
/// 404 when `photo` is not one of `project`'s; 503 when the photo store does not answer.
pub async fn of_project(state: &AppState, project: Uuid, photo: Uuid) -> AppResult<Delivery> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    if infra::db::project_reports::project_of_photo(&mut conn, photo).await? != Some(project) {
        return Err(AppError::not_found("photo"));
    }
    drop(conn);
    state
        .store
        .deliver(&PhotoRow::key(photo))
        .await
        .map_err(|e| storage_error(photo, e))
}

/// A photo awaiting WeChat's content check, for WeChat through the signed link it was given: always streamed
/// (WeChat is not sent on to the store).
///
/// # Errors
/// 404 for a link that does not hold, or a photo no longer awaiting the check; 503 when the photo store does not
/// answer.
pub async fn for_check(state: &AppState, id: Uuid, expires: i64, signature: &str) -> AppResult<Stored> {
    if !check_link_holds(state, id, expires, signature) {
        return Err(AppError::not_found("photo"));
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    if !infra::db::photos::awaits_check(&mut conn, id).await? {
        return Err(AppError::not_found("photo"));
    }
    drop(conn);
    state
        .store
        .get(&PhotoRow::key(id))
        .await
        .map_err(|e| storage_error(id, e))
}
