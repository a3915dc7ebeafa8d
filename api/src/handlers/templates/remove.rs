use crate::app::error::{AppError, AppResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};
use domain::permission::AdminScope;
use infra::db::templates::TemplateRow;
use infra::db::PgConn;
use uuid::Uuid;

/// The template `id`, if it lies within `scope`; one outside it answers as one that does not exist.
pub async fn in_scope(conn: &mut PgConn, scope: &AdminScope, id: Uuid) -> AppResult<TemplateRow> {
    let hidden = || AppError::not_found("template");
    let (row, path) = infra::db::templates::find(conn, id).await?.ok_or_else(hidden)?;
    scope.may_manage_in(&path).map_err(|_| hidden())?;
    Ok(row)
}

/// Remove a template (within the caller's scope). What was sent from it stays in the issues' timelines.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such template within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/templates/{id}")]
pub async fn remove(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    in_scope(&mut conn, &scope, *id).await?;
    infra::db::templates::delete(&mut conn, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
