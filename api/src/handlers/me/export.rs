use crate::error::{ApiError, ApiResult};
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
    /// The caller's reports, with the links to their photos, the ratings they gave and the notifications sent to them.
    /// Empty until the service holds any: reports arrive with the issue loop.
    pub issues: Vec<serde_json::Value>,
    pub photos: Vec<serde_json::Value>,
    pub ratings: Vec<serde_json::Value>,
    pub notifications: Vec<serde_json::Value>,
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
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/export")]
pub async fn export(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = infra::db::users::find(&mut conn, auth.actor.user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    let sessions = infra::db::sessions::of_user(&mut conn, user.row.id).await?;
    let row = user.row;
    let export = Export {
        exported_at: Utc::now(),
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
        issues: vec![],
        photos: vec![],
        ratings: vec![],
        notifications: vec![],
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
