use crate::app::error::AppResult;
use crate::app::issues::timeline::Verification;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// Recomputes the timeline's hash chain (internal events included) and says whether every event is as recorded.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Verification),
    )
)]
#[get("/issues/{id}/timeline/verify")]
pub async fn verify(state: web::Data<AppState>, reader: Reader, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::issues::timeline::verify(&state, reader.holder(), *id).await?))
}
