use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::issues::list::Nearby;
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::coordinates::Datum;
use domain::organisation::geo::GeoPoint;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NearbyQuery {
    pub latitude: f64,
    pub longitude: f64,
    pub category: String,
    /// Metres, 10 to 5000 (default 300).
    pub radius: Option<u32>,
    /// At triage, issues closed within this many days count too, 1 to 365 (default 30); open issues count whatever
    /// their age.
    pub days: Option<u32>,
    /// The system `latitude` and `longitude` are in: `wgs84` (default) or `gcj02` (the mini-program's location).
    #[serde(default)]
    #[param(inline)]
    pub datum: Datum,
}

/// Issues of the same category near a point, nearest first: duplicate hints for triage (deputies and staff, within
/// what they may see: every open issue whatever its age, and those closed within `days`), and for citizens about to
/// report, the open issues they could join instead (我也遇到, `POST /issues/{id}/join`) — any region's, shown as the
/// public results show them: the reporter
/// unnamed, numbers in the words masked, and none whose words wait for a person's review (the content check held
/// them, or a citizen signed in by text could not be checked) until staff took it up.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    params(NearbyQuery),
    responses(
        (status = 200, body = Vec<Nearby>),
    )
)]
#[get("/issues/nearby")]
pub async fn nearby(state: web::Data<AppState>, auth: AuthUser, query: Query<NearbyQuery>) -> AppResult<HttpResponse> {
    let (latitude, longitude) = query.datum.to_wgs84(query.latitude, query.longitude);
    let point = GeoPoint::parse(latitude, longitude)
        .map_err(|e| AppError::new(ErrorCode::InvalidQuery, e.message.clone()).with_field(e.field))?;
    let radius = query.radius.unwrap_or(300);
    let days = query.days.unwrap_or(30);
    if !(10..=5000).contains(&radius) {
        return Err(AppError::new(ErrorCode::InvalidQuery, "radius must be 10 to 5000 metres").with_field("radius"));
    }
    if !(1..=365).contains(&days) {
        return Err(AppError::new(ErrorCode::InvalidQuery, "days must be 1 to 365").with_field("days"));
    }
    let answer = crate::app::issues::list::nearby(&state, &auth, &query.category, point, radius, days).await?;
    Ok(HttpResponse::Ok().json(answer))
}
