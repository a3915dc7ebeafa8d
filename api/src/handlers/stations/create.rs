use super::{reception_days_json, Location, Station};
use crate::app::reach::region_to_manage;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::geo::GeoPoint;
use domain::organisation::station::{Address, ReceptionDay, StationName};
use domain::permission::AdminScope;
use infra::db::stations::StationFields;
use infra::db::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

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
        (status = 404, description = "The region named does not exist within the caller's scope", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/stations")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateStation>) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let body = body.0;
    let name = StationName::parse(&body.name)?;
    let address = Address::parse(&body.address)?;
    let point = body.location.map(Location::parse).transpose()?;
    let reception_days = reception_days_json(body.reception_days)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region_row = region_to_manage(&mut conn, &scope, &body.region_code, "region_code").await?;
    let fields = StationFields {
        region_code: region_row.code,
        name: name.into_inner(),
        address: address.into_inner(),
        latitude: point.map(GeoPoint::latitude),
        longitude: point.map(GeoPoint::longitude),
        reception_days,
        enabled: true,
    };
    let answer = conn
        .transaction(async |conn| {
            let row = infra::db::stations::insert(conn, Uuid::now_v7(), &fields).await?;
            let answer = Answer::created(&auth, format!("/api/v1/stations/{}", row.id), &Station::from(row))?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
