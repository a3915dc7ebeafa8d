use crate::app::error::{AppError, AppResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::role::Role;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Everything the service holds about the caller (PIPL art. 45), as one JSON document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Export {
    pub exported_at: DateTime<Utc>,
    pub account: ExportedAccount,
    /// Every sign-in, open or ended.
    pub sessions: Vec<ExportedSession>,
    /// The caller's reports.
    pub issues: Vec<ExportedIssue>,
    /// Every photo the caller uploaded (the links need the caller's token).
    pub photos: Vec<crate::app::photos::Photo>,
    /// Every rating the caller gave.
    pub ratings: Vec<ExportedRating>,
    /// Every timeline event the caller made: reports, comments, commands.
    pub events: Vec<ExportedEvent>,
    /// Notifications sent to the caller, newest first.
    pub notifications: Vec<crate::app::notifications::Notification>,
    /// The caller's comments on livelihood projects, held ones too.
    pub project_comments: Vec<ExportedProjectComment>,
    /// The caller's stars for livelihood projects.
    pub project_ratings: Vec<ExportedStars>,
    /// The deputies the caller follows, since when.
    pub followed_deputies: Vec<ExportedStars>,
    /// The caller's yearly ratings of deputies they follow.
    pub deputy_ratings: Vec<ExportedStars>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedIssue {
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub title: Option<String>,
    pub description: String,
    pub category_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
    pub anonymous: bool,
    pub station_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
    pub rating: Option<String>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedRating {
    pub issue_id: Uuid,
    pub round: i16,
    pub rating: String,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedProjectComment {
    pub project_id: Uuid,
    pub body: String,
    pub held_for_review: bool,
    pub created_at: DateTime<Utc>,
}

/// A project or deputy the caller rated or follows: its id, the stars and the year where there are any, and when.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedStars {
    pub id: Uuid,
    pub stars: Option<i16>,
    pub year: Option<i32>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedEvent {
    pub issue_id: Uuid,
    pub seq: i32,
    pub kind: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// The account row as stored, but for the password hash (a secret of the service, not personal data).
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedAccount {
    pub id: Uuid,
    pub role: Role,
    pub name: String,
    pub phone: Option<String>,
    /// The caller's WeChat openid for this mini-program.
    pub openid: Option<String>,
    pub unionid: Option<String>,
    pub region_code: Option<String>,
    pub agency_id: Option<Uuid>,
    pub deputy_level: Option<String>,
    pub station_ids: Vec<Uuid>,
    pub scene: Option<String>,
    pub scene_at: Option<DateTime<Utc>>,
    pub has_password: bool,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedSession {
    pub id: Uuid,
    /// `password` or `wechat`.
    pub method: String,
    pub created_at: DateTime<Utc>,
    pub refreshed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_why: Option<String>,
}

/// Everything held about the caller, as a JSON download (any role).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Export),
    )
)]
#[get("/me/export")]
pub async fn export(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = infra::db::users::find(&mut conn, auth.actor.user_id)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    let sessions = infra::db::sessions::of_user(&mut conn, user.row.id).await?;
    let issues = infra::db::issues::of_reporter(&mut conn, user.row.id).await?;
    let photos = infra::db::photos::of_owner(&mut conn, user.row.id).await?;
    let ratings = infra::db::extensions::ratings_by(&mut conn, user.row.id).await?;
    let events = infra::db::events::by_actor(&mut conn, user.row.id).await?;
    let notifications = infra::db::notifications::of_user(&mut conn, user.row.id, false, None, i64::MAX).await?;
    let (project_comments, project_stars) = infra::db::project_comments::of_person(&mut conn, user.row.id).await?;
    let followed = infra::db::voters::followed_by(&mut conn, user.row.id).await?;
    let deputy_stars = infra::db::voters::ratings_by(&mut conn, user.row.id).await?;
    let row = user.row;
    let export = Export {
        exported_at: state.clock.now(),
        account: ExportedAccount {
            id: row.id,
            role: auth.actor.role,
            name: row.name,
            phone: row.phone,
            openid: row.openid,
            unionid: row.unionid,
            region_code: row.region_code,
            agency_id: row.agency_id,
            deputy_level: row.deputy_level,
            station_ids: user.stations,
            scene: row.scene_code,
            scene_at: row.scene_at,
            has_password: row.password_hash.is_some(),
            enabled: row.enabled,
            created_at: row.created_at,
            updated_at: row.updated_at,
        },
        sessions: sessions
            .into_iter()
            .map(|s| ExportedSession {
                id: s.id,
                method: s.method,
                created_at: s.created_at,
                refreshed_at: s.refreshed_at,
                revoked_at: s.revoked_at,
                revoked_why: s.revoked_why,
            })
            .collect(),
        issues: issues
            .into_iter()
            .map(|i| ExportedIssue {
                id: i.id,
                number: i.number,
                status: i.status,
                title: i.title,
                description: i.description,
                category_code: i.category_code,
                latitude: i.latitude,
                longitude: i.longitude,
                address: i.address,
                anonymous: i.anonymous,
                station_id: i.station_id,
                deputy_id: i.deputy_id,
                rating: i.rating,
                created_at: i.created_at,
                closed_at: i.closed_at,
            })
            .collect(),
        photos: photos.into_iter().map(crate::app::photos::Photo::from).collect(),
        ratings: ratings
            .into_iter()
            .map(|r| ExportedRating {
                issue_id: r.issue_id,
                round: r.round,
                rating: r.rating,
                comment: r.comment,
                created_at: r.created_at,
            })
            .collect(),
        events: events
            .into_iter()
            .map(|e| ExportedEvent {
                issue_id: e.issue_id,
                seq: e.seq,
                kind: e.kind,
                note: e.note,
                at: e.at,
            })
            .collect(),
        notifications: notifications.into_iter().map(Into::into).collect(),
        project_comments: project_comments
            .into_iter()
            .map(|c| ExportedProjectComment {
                project_id: c.project_id,
                body: c.body,
                held_for_review: c.needs_review,
                created_at: c.created_at,
            })
            .collect(),
        project_ratings: project_stars
            .into_iter()
            .map(|(id, stars, at)| ExportedStars {
                id,
                stars: Some(stars),
                year: None,
                at,
            })
            .collect(),
        followed_deputies: followed
            .into_iter()
            .map(|(id, at)| ExportedStars {
                id,
                stars: None,
                year: None,
                at,
            })
            .collect(),
        deputy_ratings: deputy_stars
            .into_iter()
            .map(|(id, year, stars, at)| ExportedStars {
                id,
                stars: Some(stars),
                year: Some(year),
                at,
            })
            .collect(),
    };
    tracing::info!(user_id = %row.id, "exported own data");
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"minsheng-export.json\"",
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(export))
}
