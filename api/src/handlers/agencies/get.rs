use super::Agency;
use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web};
use domain::permission::AdminScope;
use uuid::Uuid;

/// One agency.
#[utoipa::path(
    tag = "agencies",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Agency),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agencies/{id}")]
pub async fn get(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<Agency>> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (agency, path) = infra::db::agencies::find(&mut conn, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("agency"))?;
    scope.may_see(&path)?;
    Ok(web::Json(Agency::from(agency)))
}
