//! `GET /public/projects/{id}/photos/{photo}`: a photo of one of the project's reports, as JPEG.

use crate::app::error::AppResult;
use crate::handlers::pictures::deliver;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// A photo of one of the project's reports, as JPEG. No sign-in needed; photos of anything else answer 404.
#[utoipa::path(operation_id = "public_project_photo", tag = "public",
    params(("id" = Uuid, Path, description = "The project"), ("photo" = Uuid, Path, description = "The photo")),
    responses((status = 200, body = crate::handlers::pictures::Jpeg, content_type = "image/jpeg"),
        (status = 307, description = "Where the deployment keeps photos in S3-compatible storage and presigns links \
            (`MINSHENG_S3_PRESIGN_SECONDS`): a redirect to the picture's presigned link"),
        (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/public/projects/{id}/photos/{photo}")]
pub async fn photo(state: web::Data<AppState>, path: web::Path<(Uuid, Uuid)>) -> AppResult<HttpResponse> {
    let (project, photo) = *path;
    let delivery = crate::app::photos::of_project(&state, project, photo).await?;
    Ok(deliver(delivery, "public, max-age=86400, immutable"))
}
