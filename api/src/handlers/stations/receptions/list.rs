//! `GET /stations/{id}/receptions`: the station's reception days, latest first (staff over it, its deputies).

use super::Reception;
use crate::app::error::{AppError, AppResult};
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::may_plan_reception;
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
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (station, region) = infra::db::stations::find(&mut conn, *id)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    may_plan_reception(&auth.actor, station.id, &region)?;
    let days = infra::db::reception_days::of_station(&mut conn, station.id, limit.get()).await?;
    Ok(HttpResponse::Ok().json(
        days.into_iter()
            .map(|(d, ids)| Reception::of(d, ids))
            .collect::<Vec<_>>(),
    ))
}
