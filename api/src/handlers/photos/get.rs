//! `GET /photos/{id}`: the photo, for its uploader and whoever sees its issue.

use super::{serve, Jpeg};
use crate::app::error::AppResult;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use infra::db::photos::PhotoRow;
use uuid::Uuid;

/// The photo, for its uploader and whoever sees its issue.
#[utoipa::path(
    tag = "photos",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Jpeg, content_type = "image/jpeg"),
        (status = 307, description = "Where the deployment presigns links to S3-compatible photo storage \
            (`MINSHENG_S3_PRESIGN_SECONDS`): a redirect to the picture's presigned link"),
    )
)]
#[get("/photos/{id}")]
pub async fn get(state: web::Data<AppState>, reader: Reader, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    serve(&state, &reader, *id, PhotoRow::key).await
}
