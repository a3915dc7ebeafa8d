//! 报: filing a report below HTTP — where it goes, its number, the issue and its first event. The handler parses and
//! checks what was sent and answers; the bench runs these same statements without HTTP to measure what the service
//! adds to them (`scripts/bench http`).

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::photos::attach_own;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::content::{self, Checked};
use crate::state::AppState;
use chrono::{DateTime, Datelike, Utc};
use domain::issue::deadline::SHANGHAI;
use domain::issue::report::{destination, DailyReports};
use domain::issue::report::{Description, Destination, PhotoIds, PlaceAddress, Title};
use domain::issue::timeline::GENESIS;
use domain::issue::Status;
use domain::organisation::geo::GeoPoint;
use domain::organisation::region::RegionPath;
use domain::permission::Actor;
use domain::role::Role;
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
pub async fn place(conn: &mut PgConn, actor: &Actor, destination: Destination) -> AppResult<Place> {
    let gone = |field: &str| {
        AppError::new(
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
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("a deputy without a region"))),
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
    /// The livelihood project and the citizen's comment on it that staff turned into this issue.
    pub from_comment: Option<(Uuid, Uuid)>,
}

/// The report's number, in a short statement of its own, before [`write`]'s transaction: reports do not queue behind
/// one another on the counter's row for the whole of their transaction; a report that then fails leaves a gap in the
/// numbers.
///
/// # Errors
/// Database failures.
pub async fn number(conn: &mut PgConn, place: &Place, now: DateTime<Utc>) -> AppResult<String> {
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
) -> AppResult<Standing> {
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
        from_comment: _,
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
    let event = first_event(number, filing, needs_review);
    Ok(infra::db::issues::append_for_view(conn, id, 0, &GENESIS, &event, now).await?)
}

/// The report event: it holds what was reported, so the chain covers the original words.
fn first_event<'a>(number: &str, filing: &Filing<'a>, needs_review: bool) -> NewEvent<'a> {
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
        from_comment,
        ..
    } = filing;
    let mut event = NewEvent {
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
    // An issue made of a comment on a livelihood project names them: the link from the issue's side.
    if let Some((project, comment)) = from_comment {
        event.data["project_id"] = json!(project);
        event.data["project_comment_id"] = json!(comment);
    }
    event
}

/// A report as the reporter sent it, its parts parsed.
pub struct Report<'a> {
    pub title: Option<Title>,
    pub description: Description,
    pub category_code: Option<&'a str>,
    pub point: Option<GeoPoint>,
    pub address: Option<PlaceAddress>,
    pub photos: PhotoIds,
    /// Deputies only: which of their stations (needed when they serve at several).
    pub station_id: Option<Uuid>,
    /// Hide the reporter from the agencies that handle it.
    pub anonymous: bool,
}

/// 报: a citizen or a deputy reports an issue. Citizens report to the station or deputy whose code they last
/// scanned (`scanned`), deputies through their own stations; the category must be one offered there; a citizen's
/// reports a day are limited; the text passes WeChat's content check. The number is taken first ([`number`]), then
/// the issue, its photos and its first event are written with the answer kept ([`write`], `commit`). Done: the
/// issue as the reporter now sees it.
///
/// # Errors
/// 403 for a caller who may not report; `validation_failed` on `category_code` (unknown, or not offered where the
/// issue is reported) or a destination that does not hold; 429 `daily_limit_reached`; `content_risky`;
/// `photo_unavailable`.
pub async fn file<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    scanned: Option<domain::identity::SceneTarget>,
    report: Report<'_>,
    answer: impl FnOnce(super::view::IssueView) -> AppResult<K> + Send,
) -> AppResult<K> {
    let actor = &caller.actor;
    domain::permission::may_report(actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    if let Some(code) = report.category_code {
        if !reference.has_category(code) {
            return Err(AppError::rule("category_code", "unknown_category", "no such category"));
        }
    }
    // Deputies report through their own stations, whatever they scanned.
    let scanned = scanned.filter(|_| actor.role == Role::Citizen);
    let place = place(&mut conn, actor, destination(actor, scanned, report.station_id)?).await?;
    // Each area offers its own categories (`GET /categories?region=`): one it does not offer is refused here.
    if let Some(code) = report.category_code {
        if reference.offered_at(&place.region, code).is_none() {
            return Err(AppError::rule(
                "category_code",
                "category_not_offered",
                "this category is not offered where the issue is reported",
            ));
        }
    }
    let now = state.clock.now();
    if actor.role == Role::Citizen {
        let since = domain::issue::deadline::start_of_local_day(now);
        let made = infra::db::issues::reported_since(&mut conn, actor.user_id, since).await?;
        DailyReports(state.config.issues.reports_per_day)
            .allow(u32::try_from(made).unwrap_or(u32::MAX))
            .map_err(|e| AppError::new(ErrorCode::DailyLimitReached, e.message))?;
    }
    // The connection goes back to the pool while WeChat reads the text.
    drop(conn);
    let text = match &report.title {
        Some(t) => format!("{t}\n{}", report.description),
        None => report.description.to_string(),
    };
    let checked = content::check(state, actor, &text, infra::wechat::TextScene::Forum, "description").await?;
    let filing = Filing {
        reporter: actor,
        place,
        title: report.title.as_ref(),
        description: &report.description,
        category_code: report.category_code,
        point: report.point,
        address: report.address.as_ref(),
        photos: &report.photos,
        anonymous: report.anonymous,
        needs_review: checked == Checked::NeedsReview,
        from_comment: None,
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let number = number(&mut conn, &filing.place, now).await?;
    let (id, filing, number, reference) = (Uuid::now_v7(), &filing, &number, &reference);
    let limits = super::view::limits(&state.config);
    commit(
        &mut conn,
        |conn| {
            async move {
                let standing = write(conn, id, number, filing, now).await?;
                let viewable = super::load::viewable_as(actor, standing)?;
                let (issue, _) = super::view::view(actor, viewable, limits, now, reference)?;
                Ok(issue)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}
