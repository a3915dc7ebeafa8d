//! `GET /photos/{id}/thumbnail`: the photo's thumbnail (longest side 320 pixels).

use super::{serve, Jpeg};
use crate::app::error::AppResult;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use infra::db::photos::PhotoRow;
use uuid::Uuid;

/// The photo's thumbnail (longest side 320 pixels).
#[utoipa::path(
    tag = "photos",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Jpeg, content_type = "image/jpeg"),
        (status = 307, description = "Where the deployment presigns links to S3-compatible photo storage \
            (`MINSHENG_S3_PRESIGN_SECONDS`): a redirect to the picture's presigned link"),
    )
)]
#[get("/photos/{id}/thumbnail")]
pub async fn thumbnail(state: web::Data<AppState>, reader: Reader, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    serve(&state, &reader, *id, PhotoRow::thumbnail_key).await
}
