use super::IssueView;
use crate::app::issues::load::viewable_as;
use crate::app::issues::report::{number, place, write, Filing};
use crate::app::issues::view::{limits, view};
use crate::content::{self, Checked};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::coordinates::Datum;
use domain::issue::deadline::start_of_local_day;
use domain::issue::report::{destination, DailyReports, Description, PhotoIds, PlaceAddress, Title};
use domain::organisation::geo::GeoPoint;
use domain::role::Role;
use infra::db::AsyncConnection;
use infra::wechat::TextScene;
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
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<Report>) -> ApiResult<HttpResponse> {
    let actor = &auth.actor;
    domain::permission::may_report(actor)?;
    let body = body.0;
    let description = Description::parse(&body.description)?;
    let title = body.title.as_deref().map(Title::parse).transpose()?;
    let photos = PhotoIds::parse(body.photo_ids)?;
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

    let mut conn = infra::db::pool::conn(&state.db).await?;
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    if let Some(code) = &body.category_code {
        if !reference.has_category(code) {
            return Err(ApiError::rule("category_code", "unknown_category", "no such category"));
        }
    }
    // Deputies report through their own stations, whatever they scanned.
    let scanned = (actor.role == Role::Citizen).then_some(auth.scene).flatten();
    let place = place(&mut conn, actor, destination(actor, scanned, body.station_id)?).await?;
    // Each area offers its own categories (`GET /categories?region=`): one it does not offer is refused here.
    if let Some(code) = &body.category_code {
        if reference.offered_at(&place.region, code).is_none() {
            return Err(ApiError::rule(
                "category_code",
                "category_not_offered",
                "this category is not offered where the issue is reported",
            ));
        }
    }
    let now = state.clock.now();
    if actor.role == Role::Citizen {
        let made = infra::db::issues::reported_since(&mut conn, actor.user_id, start_of_local_day(now)).await?;
        DailyReports(state.config.issues.reports_per_day)
            .allow(u32::try_from(made).unwrap_or(u32::MAX))
            .map_err(|e| ApiError::new(ErrorCode::DailyLimitReached, e.message))?;
    }
    drop(conn);

    let text = match &title {
        Some(t) => format!("{t}\n{description}"),
        None => description.to_string(),
    };
    let checked = content::check(&state, actor, &text, TextScene::Forum, "description").await?;

    let id = Uuid::now_v7();
    let location = format!("/api/v1/issues/{id}");
    let filing = Filing {
        reporter: actor,
        place,
        title: title.as_ref(),
        description: &description,
        category_code: body.category_code.as_deref(),
        point,
        address: address.as_ref(),
        photos: &photos,
        anonymous: body.anonymous,
        needs_review: checked == Checked::NeedsReview,
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let number = number(&mut conn, &filing.place, now).await?;
    let answer = conn
        .transaction(async |conn| {
            let standing = write(conn, id, &number, &filing, now).await?;
            let viewable = viewable_as(actor, standing)?;
            let (issue, _) = view(actor, viewable, limits(&state.config), now, &reference)?;
            // The answer is made and kept with the report, so a retry after a lost answer replays it.
            let answer = Answer::json(&auth, StatusCode::CREATED, Some(location), &issue)?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
