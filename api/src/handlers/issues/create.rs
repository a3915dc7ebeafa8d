use super::IssueView;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::coordinates::Datum;
use domain::issue::report::{Description, PhotoIds, PlaceAddress, Title};
use domain::organisation::geo::GeoPoint;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportLocation {
    #[schema(example = 30.0437)]
    pub latitude: Option<f64>,
    #[schema(example = 121.1546)]
    pub longitude: Option<f64>,
    #[schema(example = "凤山街道新建路与南雷路交叉口", max_length = 200)]
    pub address: Option<String>,
    /// The system `latitude` and `longitude` are in: `wgs84` (the default: GPS, a phone browser's location) or
    /// `gcj02` (the mini-program's `wx.getLocation({type: 'gcj02'})`, Chinese maps). The two differ by hundreds of
    /// metres in China; the service stores WGS-84 and answers every point in it.
    #[serde(default)]
    pub datum: Datum,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// 5 to 2000 characters.
    #[schema(
        example = "新建路南段的路灯坏了一个多星期，晚上很黑，老人走路不安全。",
        max_length = 2000
    )]
    pub description: String,
    /// Up to 80 characters.
    #[schema(example = "新建路路灯不亮", max_length = 80)]
    pub title: Option<String>,
    #[schema(example = "streetlights")]
    pub category_code: Option<String>,
    pub location: Option<ReportLocation>,
    /// Up to 9 photos uploaded by the caller through `POST /api/v1/photos`, not yet used by another report.
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
    /// Deputies only: which of their stations (needed when they serve at several). Citizens report to the station or
    /// deputy whose QR code they last scanned.
    pub station_id: Option<Uuid>,
    /// Hide the reporter from the agencies that handle it.
    #[serde(default)]
    pub anonymous: bool,
}

/// 报: report an issue (citizens and deputies). Send an `Idempotency-Key`: a retry answers the first report.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    request_body = Report,
    responses(
        (status = 201, body = IssueView, headers(("Location" = String))),
    )
)]
#[post("/issues")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<Report>) -> AppResult<HttpResponse> {
    let body = body.0;
    let (point, address) = match &body.location {
        None => (None, None),
        Some(l) => {
            let point = match (l.latitude, l.longitude) {
                (Some(lat), Some(lng)) => {
                    let (lat, lng) = l.datum.to_wgs84(lat, lng);
                    Some(GeoPoint::parse(lat, lng).map_err(|e| e.under("location"))?)
                }
                (None, None) => None,
                _ => {
                    return Err(domain::Invalid::new(
                        "location",
                        "incomplete",
                        "send both latitude and longitude, or neither",
                    )
                    .into())
                }
            };
            (point, l.address.as_deref().map(PlaceAddress::parse).transpose()?)
        }
    };
    let report = app::issues::report::Report {
        title: body.title.as_deref().map(Title::parse).transpose()?,
        description: Description::parse(&body.description)?,
        category_code: body.category_code.as_deref(),
        point,
        address,
        photos: PhotoIds::parse(body.photo_ids)?,
        station_id: body.station_id,
        anonymous: body.anonymous,
    };
    let answer = app::issues::report::file(&state, auth.caller(), auth.scene, report, |issue| {
        let location = format!("/api/v1/issues/{}", issue.id);
        // The answer is made and kept with the report, so a retry after a lost answer replays it.
        Answer::json(&auth, StatusCode::CREATED, Some(location), &issue)
    })
    .await?;
    Ok(answer.respond())
}
