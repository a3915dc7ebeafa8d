use super::{reception_days_json, Location, Station};
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::geo::GeoPoint;
use domain::organisation::station::{Address, ReceptionDay, StationName};
use infra::db::stations::StationFields;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStation {
    #[schema(example = "330281001")]
    pub region_code: String,
    #[schema(example = "凤山街道人大代表联络站", max_length = 80)]
    pub name: String,
    #[schema(example = "余姚市凤山街道新建路1号", max_length = 200)]
    pub address: String,
    pub location: Option<Location>,
    #[serde(default)]
    pub reception_days: Vec<ReceptionDay>,
}

/// Add a station in a region of the caller's subtree.
#[utoipa::path(
    tag = "stations",
    security(("bearer" = [])),
    request_body = CreateStation,
    responses(
        (status = 201, body = Station, headers(("Location" = String))),
        (status = 404, description = "The region named does not exist within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stations")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateStation>) -> AppResult<HttpResponse> {
    let body = body.0;
    let point = body.location.map(Location::parse).transpose()?;
    let fields = StationFields {
        name: StationName::parse(&body.name)?.into_inner(),
        address: Address::parse(&body.address)?.into_inner(),
        latitude: point.map(GeoPoint::latitude),
        longitude: point.map(GeoPoint::longitude),
        reception_days: reception_days_json(body.reception_days)?,
        enabled: true,
        region_code: body.region_code,
    };
    let answer = app::organisation::stations::add(&state, auth.caller(), fields, |row| {
        Answer::created(&auth, format!("/api/v1/stations/{}", row.id), &Station::from(row))
    })
    .await?;
    Ok(answer.respond())
}
