use super::Photo;
use crate::app;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use infra::db::photos::PhotoRow;
use utoipa::ToSchema;

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
    let bytes = read_file_field(&req, payload, state.config.photos.max_bytes).await?;
    let (row, _) = app::photos::upload(&state, auth.caller(), bytes).await?;
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
