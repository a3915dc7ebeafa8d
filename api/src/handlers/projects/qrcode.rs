use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::handlers::qrcode::{send, CodeQuery, CodeResponses};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::identity::SceneTarget;
use uuid::Uuid;

/// 码上监督: the project's QR code, for its site boards and notices, as a PNG. Scanning it opens the project's public
/// page (`GET /api/v1/scenes/{scene}` says which project; `GET /api/v1/public/projects/{id}` shows it). Staff over
/// the project and its agency's handlers.
#[utoipa::path(
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project"), CodeQuery),
    responses(CodeResponses)
)]
#[get("/projects/{id}/qrcode")]
pub async fn qrcode(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: Query<CodeQuery>,
) -> AppResult<HttpResponse> {
    let width = q.width()?;
    let code = crate::app::codes::draw(&state, &auth, SceneTarget::Project(*id), width).await?;
    Ok(send(code))
}
