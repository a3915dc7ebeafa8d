use super::{found, role_over};
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::handlers::qrcode::{draw, CodeQuery, CodeResponses};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::identity::SceneTarget;
use domain::permission::ProjectRole;
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
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let project = found(&mut conn, *id).await?;
    if role_over(&auth.actor, &project)? == ProjectRole::Deputy {
        return Err(domain::Denied::Forbidden("project codes are drawn by staff and the responsible agency").into());
    }
    draw(&state, &mut conn, SceneTarget::Project(project.project.id), width).await
}
