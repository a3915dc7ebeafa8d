//! `GET /stations/{id}/receptions`: the station's reception days, latest first (staff over it, its deputies).

use super::Reception;
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListReceptions {
    pub limit: Option<i64>,
}

/// The station's reception days, latest first (staff over it, its deputies).
#[utoipa::path(operation_id = "list_receptions", tag = "stations", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The station"), ListReceptions),
    responses((status = 200, body = Vec<Reception>)))]
#[get("/stations/{id}/receptions")]
pub async fn list(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: Query<ListReceptions>,
) -> AppResult<HttpResponse> {
    let limit = crate::page::limit(q.limit)?;
    let days = crate::app::performance::receptions(&state, &auth, *id, limit.get()).await?;
    Ok(HttpResponse::Ok().json(
        days.into_iter()
            .map(|(d, ids)| Reception::of(d, ids))
            .collect::<Vec<_>>(),
    ))
}
