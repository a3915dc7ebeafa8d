use super::Station;
use crate::app::error::{AppError, AppResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::AdminScope;
use uuid::Uuid;

/// One station.
#[utoipa::path(
    tag = "stations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Station),
    )
)]
#[get("/stations/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (row, path) = infra::db::stations::find(&mut conn, *id)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    scope.may_see(&path)?;
    Ok(HttpResponse::Ok().json(Station::from(row)))
}
