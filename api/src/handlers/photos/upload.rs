use super::Photo;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use infra::db::photos::PhotoRow;
use infra::photo::PhotoError;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

/// The form: one file field named `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PhotoUpload {
    /// JPEG, PNG, WebP or HEIC, recognised by content (the file name and declared type are ignored).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Upload a photo for a report. The same bytes uploaded again by the same person answer the first photo (so a
/// retried upload creates nothing new).
#[utoipa::path(
    tag = "photos",
    security(("bearer" = [])),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = Photo, headers(("Location" = String))),
    )
)]
#[post("/photos")]
pub async fn upload(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    domain::permission::may_upload_photo(&auth.actor)?;
    let limits = state.config.photos;
    let bytes = read_file_field(&req, payload, limits.max_bytes).await?;
    let sha256 = infra::encoding::hex(&Sha256::digest(&bytes));
    let owner = auth.actor.user_id;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    if let Some(existing) = infra::db::photos::find_by_hash(&mut conn, owner, &sha256).await? {
        return Ok(created(existing));
    }
    drop(conn);
    let processed = web::block(move || infra::photo::process(&bytes, limits.max_pixels))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| photo_error(&e))?;
    let id = Uuid::now_v7();
    // Bytes first, row second: a row never points at a missing file, and a crash in between leaves only an orphan file.
    state
        .store
        .put(&PhotoRow::key(id), &processed.jpeg)
        .await
        .map_err(|e| AppError::unavailable("photo storage", Some(e.into())))?;
    state
        .store
        .put(&PhotoRow::thumbnail_key(id), &processed.thumbnail)
        .await
        .map_err(|e| AppError::unavailable("photo storage", Some(e.into())))?;
    let row = PhotoRow {
        id,
        owner_id: owner,
        issue_id: None,
        sha256,
        content_type: "image/jpeg".to_owned(),
        width: i32::try_from(processed.width).unwrap_or(i32::MAX),
        height: i32::try_from(processed.height).unwrap_or(i32::MAX),
        size_bytes: i32::try_from(processed.jpeg.len()).unwrap_or(i32::MAX),
        created_at: state.clock.now(),
        report_id: None,
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::photos::insert(&mut conn, &row).await?;
    crate::app::photos::send_for_check(&state, &mut conn, &auth.actor, row.id).await?;
    Ok(created(row))
}

fn created(row: PhotoRow) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/photos/{}", row.id)))
        .json(Photo::from(row))
}

/// The bytes of the form's `file` field, at most `max` of them.
async fn read_file_field(req: &HttpRequest, payload: web::Payload, max: usize) -> AppResult<Vec<u8>> {
    let bad = |why: String| AppError::new(ErrorCode::InvalidBody, why).with_field("file");
    let mut form = Multipart::new(req.headers(), payload);
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| bad(format!("send the photo as multipart/form-data: {e}")))?;
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| bad(format!("the upload was cut short: {e}")))?;
            if bytes.len() + chunk.len() > max {
                return Err(AppError::new(
                    ErrorCode::PayloadTooLarge,
                    format!("a photo may be at most {max} bytes"),
                )
                .with_field("file"));
            }
            bytes.extend_from_slice(&chunk);
        }
        if bytes.is_empty() {
            return Err(bad("the file is empty".to_owned()));
        }
        return Ok(bytes);
    }
    Err(bad("the form has no `file` field".to_owned()))
}

fn photo_error(e: &PhotoError) -> AppError {
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
