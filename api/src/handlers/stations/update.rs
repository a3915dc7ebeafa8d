use super::{reception_days_json, Location, Station};
use crate::app::error::{AppError, AppResult};
use crate::extract::{AuthUser, Json};
use crate::handlers::nullable;
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::organisation::geo::GeoPoint;
use domain::organisation::station::{Address, ReceptionDay, StationName};
use domain::permission::AdminScope;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStation {
    #[schema(max_length = 80)]
    pub name: Option<String>,
    #[schema(max_length = 200)]
    pub address: Option<String>,
    /// A new point, or `null` to forget it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Location>, nullable)]
    pub location: Option<Option<Location>>,
    pub reception_days: Option<Vec<ReceptionDay>>,
    /// A disabled station keeps its history but takes no new issues and its QR code stops working.
    pub enabled: Option<bool>,
}

/// Change a station. Fields left out stay as they are.
#[utoipa::path(
    tag = "stations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = UpdateStation,
    responses(
        (status = 200, body = Station),
        (status = 409, description = "A unique value is already taken", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/stations/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<UpdateStation>,
) -> AppResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let body = body.0;
    let name = body.name.as_deref().map(StationName::parse).transpose()?;
    let address = body.address.as_deref().map(Address::parse).transpose()?;
    let location = body.location.map(|l| l.map(Location::parse).transpose()).transpose()?;
    let reception_days = body.reception_days.map(reception_days_json).transpose()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (row, path) = infra::db::stations::find(&mut conn, *id)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    scope.may_manage_in(&path)?;
    let mut fields = row.fields();
    if let Some(name) = name {
        fields.name = name.into_inner();
    }
    if let Some(address) = address {
        fields.address = address.into_inner();
    }
    if let Some(point) = location {
        fields.latitude = point.map(GeoPoint::latitude);
        fields.longitude = point.map(GeoPoint::longitude);
    }
    if let Some(days) = reception_days {
        fields.reception_days = days;
    }
    if let Some(enabled) = body.enabled {
        fields.enabled = enabled;
    }
    let row = infra::db::stations::update(&mut conn, row.id, &fields).await?;
    Ok(HttpResponse::Ok().json(Station::from(row)))
}
