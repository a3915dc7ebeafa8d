use super::{reception_days_json, Location, Station};
use crate::app;
use crate::app::error::AppResult;
use crate::app::organisation::stations::StationChange;
use crate::extract::{AuthUser, Json};
use crate::handlers::nullable;
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::organisation::station::{Address, ReceptionDay, StationName};
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
    let body = body.0;
    let change = StationChange {
        name: body.name.as_deref().map(StationName::parse).transpose()?,
        address: body.address.as_deref().map(Address::parse).transpose()?,
        location: body.location.map(|l| l.map(Location::parse).transpose()).transpose()?,
        reception_days: body.reception_days.map(reception_days_json).transpose()?,
        enabled: body.enabled,
    };
    let row = app::organisation::stations::change(&state, auth.caller(), *id, change).await?;
    Ok(HttpResponse::Ok().json(Station::from(row)))
}
