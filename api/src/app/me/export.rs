//! Everything the service holds about the caller (PIPL art. 45): one read of each thing held, one document.

use crate::app::error::{AppError, AppResult};
use crate::app::notifications::Notification;
use crate::app::photos::Photo;
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::role::Role;
use infra::db::events::EventRow;
use infra::db::extensions::RatingRow;
use infra::db::issues::IssueRow;
use infra::db::project_comments::CommentRow;
use infra::db::proposals::ProposalRow;
use infra::db::sessions::SessionRow;
use infra::db::users::User;
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
    pub photos: Vec<Photo>,
    /// Every rating the caller gave.
    pub ratings: Vec<ExportedRating>,
    /// Every timeline event the caller made: reports, comments, commands.
    pub events: Vec<ExportedEvent>,
    /// Notifications sent to the caller, newest first.
    pub notifications: Vec<Notification>,
    /// The caller's comments on livelihood projects, held ones too.
    pub project_comments: Vec<ExportedProjectComment>,
    /// The caller's stars for livelihood projects.
    pub project_ratings: Vec<ExportedStars>,
    /// The deputies the caller follows, since when.
    pub followed_deputies: Vec<ExportedStars>,
    /// The caller's yearly ratings of deputies they follow.
    pub deputy_ratings: Vec<ExportedStars>,
    /// The livelihood projects the caller proposed (点单), with what became of them.
    pub proposals: Vec<ExportedProposal>,
    /// The proposals the caller supports (附议), since when.
    pub supported_proposals: Vec<ExportedStars>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedProposal {
    pub id: Uuid,
    pub round_id: Uuid,
    pub title: String,
    pub body: String,
    pub reason: String,
    pub status: String,
    pub decision_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ProposalRow> for ExportedProposal {
    fn from(p: ProposalRow) -> Self {
        Self {
            id: p.id,
            round_id: p.round_id,
            title: p.title,
            body: p.body,
            reason: p.reason,
            status: p.status,
            decision_note: p.decision_note,
            created_at: p.created_at,
        }
    }
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

/// A project, deputy or proposal the caller rated, follows or supports: its id, the stars and the year where there are any, and when.
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

/// Everything held about the caller.
///
/// # Errors
/// 404 when the account is gone (erased while the token still lived).
pub async fn export(state: &AppState, caller: &Caller) -> AppResult<Export> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let conn = &mut conn;
    let id = caller.actor.user_id;
    let user = infra::db::users::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    let (project_comments, project_stars) = infra::db::project_comments::of_person(conn, id).await?;
    let starred = |stars: i16, year: Option<i32>| (Some(stars), year);
    let export = Export {
        exported_at: state.clock.now(),
        account: ExportedAccount::of(user, caller.actor.role),
        sessions: rows(infra::db::sessions::of_user(conn, id).await?),
        issues: rows(infra::db::issues::of_reporter(conn, id).await?),
        photos: rows(infra::db::photos::of_owner(conn, id).await?),
        ratings: rows(infra::db::extensions::ratings_by(conn, id).await?),
        events: rows(infra::db::events::by_actor(conn, id).await?),
        notifications: rows(infra::db::notifications::of_user(conn, id, false, None, i64::MAX).await?),
        project_comments: rows(project_comments),
        project_ratings: project_stars
            .into_iter()
            .map(|(id, stars, at)| ExportedStars::of(id, starred(stars, None), at))
            .collect(),
        followed_deputies: infra::db::voters::followed_by(conn, id)
            .await?
            .into_iter()
            .map(|(id, at)| ExportedStars::of(id, (None, None), at))
            .collect(),
        deputy_ratings: infra::db::voters::ratings_by(conn, id)
            .await?
            .into_iter()
            .map(|(id, year, stars, at)| ExportedStars::of(id, starred(stars, Some(year)), at))
            .collect(),
        proposals: rows(infra::db::proposals::of_author(conn, id).await?),
        supported_proposals: infra::db::proposals::supported_by(conn, id)
            .await?
            .into_iter()
            .map(|(id, at)| ExportedStars::of(id, (None, None), at))
            .collect(),
    };
    tracing::info!(user_id = %id, "exported own data");
    Ok(export)
}

fn rows<R, T: From<R>>(rows: Vec<R>) -> Vec<T> {
    rows.into_iter().map(T::from).collect()
}

impl ExportedStars {
    fn of(id: Uuid, (stars, year): (Option<i16>, Option<i32>), at: DateTime<Utc>) -> Self {
        Self { id, stars, year, at }
    }
}

impl ExportedAccount {
    fn of(user: User, role: Role) -> Self {
        let row = user.row;
        Self {
            id: row.id,
            role,
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
        }
    }
}

impl From<SessionRow> for ExportedSession {
    fn from(s: SessionRow) -> Self {
        Self {
            id: s.id,
            method: s.method,
            created_at: s.created_at,
            refreshed_at: s.refreshed_at,
            revoked_at: s.revoked_at,
            revoked_why: s.revoked_why,
        }
    }
}

impl From<IssueRow> for ExportedIssue {
    fn from(i: IssueRow) -> Self {
        Self {
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
        }
    }
}

impl From<RatingRow> for ExportedRating {
    fn from(r: RatingRow) -> Self {
        Self {
            issue_id: r.issue_id,
            round: r.round,
            rating: r.rating,
            comment: r.comment,
            created_at: r.created_at,
        }
    }
}

impl From<EventRow> for ExportedEvent {
    fn from(e: EventRow) -> Self {
        Self {
            issue_id: e.issue_id,
            seq: e.seq,
            kind: e.kind,
            note: e.note,
            at: e.at,
        }
    }
}

impl From<CommentRow> for ExportedProjectComment {
    fn from(c: CommentRow) -> Self {
        Self {
            project_id: c.project_id,
            body: c.body,
            held_for_review: c.needs_review,
            created_at: c.created_at,
        }
    }
}
