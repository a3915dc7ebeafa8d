//! 报: filing a report below HTTP — where it goes, its number, the issue and its first event. The handler parses and
//! checks what was sent and answers; the bench runs these same statements without HTTP to measure what the service
//! adds to them (`scripts/bench http`).

use crate::app::photos::attach_own;
use crate::error::{ApiError, ApiResult, ErrorCode};
use chrono::{DateTime, Datelike, Utc};
use domain::issue::deadline::SHANGHAI;
use domain::issue::report::{Description, Destination, PhotoIds, PlaceAddress, Title};
use domain::issue::timeline::GENESIS;
use domain::issue::Status;
use domain::organisation::geo::GeoPoint;
use domain::organisation::region::RegionPath;
use domain::permission::Actor;
use infra::db::events::NewEvent;
use infra::db::issues::{NewIssue, Standing};
use infra::db::photos::PhotoUse;
use infra::db::PgConn;
use serde_json::json;
use uuid::Uuid;

/// Where a report goes: the region it is numbered and seen in, and the station or deputy it came through.
#[derive(Debug, Clone)]
pub struct Place {
    pub region: RegionPath,
    pub station_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
}

/// The place a destination means; disabled stations and deputies take no reports.
///
/// # Errors
/// `validation_failed` on `station_id` or `scene` when the station or deputy is gone or disabled.
pub async fn place(conn: &mut PgConn, actor: &Actor, destination: Destination) -> ApiResult<Place> {
    let gone = |field: &str| {
        ApiError::new(
            ErrorCode::ValidationFailed,
            "this station or deputy no longer takes reports; scan another code",
        )
        .with_field(field)
    };
    match destination {
        Destination::Station(id) => {
            let (station, region) = infra::db::stations::find(conn, id)
                .await?
                .ok_or_else(|| gone("station_id"))?;
            if !station.enabled {
                return Err(gone("scene"));
            }
            Ok(Place {
                region,
                station_id: Some(id),
                deputy_id: None,
            })
        }
        Destination::Deputy(id) => {
            let deputy = infra::db::users::find(conn, id).await?.ok_or_else(|| gone("scene"))?;
            match (deputy.row.enabled, deputy.region_path) {
                (true, Some(region)) => Ok(Place {
                    region,
                    station_id: None,
                    deputy_id: Some(id),
                }),
                _ => Err(gone("scene")),
            }
        }
        Destination::OwnRegion => actor
            .region
            .clone()
            .map(|region| Place {
                region,
                station_id: None,
                deputy_id: None,
            })
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a deputy without a region"))),
    }
}

/// A report as parsed and checked, ready to be written.
pub struct Filing<'a> {
    pub reporter: &'a Actor,
    pub place: Place,
    pub title: Option<&'a Title>,
    pub description: &'a Description,
    pub category_code: Option<&'a str>,
    pub point: Option<GeoPoint>,
    pub address: Option<&'a PlaceAddress>,
    pub photos: &'a PhotoIds,
    pub anonymous: bool,
    /// WeChat's content check asked for a person to look.
    pub needs_review: bool,
}

/// The report's number, in a short statement of its own, before [`write`]'s transaction: reports do not queue behind
/// one another on the counter's row for the whole of their transaction; a report that then fails leaves a gap in the
/// numbers.
///
/// # Errors
/// Database failures.
pub async fn number(conn: &mut PgConn, place: &Place, now: DateTime<Utc>) -> ApiResult<String> {
    Ok(infra::db::issues::next_number(conn, &place.region, now.with_timezone(&SHANGHAI).year()).await?)
}

/// Writes the report as issue `id` numbered `number`, in the caller's transaction: the issue, its photos and its
/// first event, whose insert answers the issue as the report leaves it (no read after the writes).
///
/// # Errors
/// `photo_unavailable` for a photo not the reporter's to use; database failures.
pub async fn write(
    conn: &mut PgConn,
    id: Uuid,
    number: &str,
    filing: &Filing<'_>,
    now: DateTime<Utc>,
) -> ApiResult<Standing> {
    let Filing {
        reporter,
        place,
        title,
        description,
        category_code,
        point,
        address,
        photos,
        anonymous,
        needs_review,
    } = filing;
    let new = NewIssue {
        id,
        number,
        region_code: place.region.code(),
        region_path: place.region.as_str(),
        station_id: place.station_id,
        deputy_id: place.deputy_id,
        reporter_id: reporter.user_id,
        reporter_role: reporter.role.as_str(),
        anonymous: *anonymous,
        title: title.map(Title::as_str),
        description: description.as_str(),
        category_code: *category_code,
        latitude: point.map(GeoPoint::latitude),
        longitude: point.map(GeoPoint::longitude),
        address: address.map(PlaceAddress::as_str),
        status: Status::Submitted.as_str(),
        needs_review: *needs_review,
        // The report event below is the first.
        last_seq: 1,
        created_at: now,
        updated_at: now,
    };
    infra::db::issues::insert(conn, &new).await?;
    // A photo WeChat's picture check found risky before the report holds the new issue for review, as a verdict
    // after it does (`app::photos::record_verdict`): one statement more, only then.
    let risky = attach_own(conn, reporter.user_id, photos.as_slice(), PhotoUse::Issue(id)).await?;
    if risky && !*needs_review {
        infra::db::issues::hold_for_review(conn, id).await?;
    }
    let needs_review = *needs_review || risky;
    // The report event holds what was reported, so the chain covers the original words.
    let event = NewEvent {
        kind: "report",
        actor_id: Some(reporter.user_id),
        actor_role: Some(reporter.role.as_str()),
        from_status: None,
        to_status: Some(Status::Submitted.as_str()),
        note: None,
        internal: false,
        data: json!({
            "number": number,
            "title": title.map(Title::as_str),
            "description": description.as_str(),
            "category_code": category_code,
            "latitude": point.map(|p| p.latitude().to_string()),
            "longitude": point.map(|p| p.longitude().to_string()),
            "address": address.map(PlaceAddress::as_str),
            "photo_ids": photos.as_slice(),
            "station_id": place.station_id,
            "deputy_id": place.deputy_id,
            "anonymous": anonymous,
            "needs_review": needs_review,
        }),
    };
    Ok(infra::db::issues::append_for_view(conn, id, 0, &GENESIS, &event, now).await?)
}
