//! 督: the deputies' (and staff's) supervision commands — urge (催办), key supervision (挂牌督办), site visit
//! (现场督办) and follow-up (回头看).

use super::command::{optional_note, required_note, run, CommandErrors};
use super::cosign::OptionalNote;
use super::IssueView;
use crate::error::ApiResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::report::PhotoIds;
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// 催办: press the lead agency while it holds the issue. Its handlers are told at once (in-app and webhook). One
/// person may urge one issue once per `MINSHENG_URGE_EVERY_HOURS` (default 24): sooner answers 429 `rate_limited`.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = OptionalNote,
    responses((status = 200, body = IssueView), (status = 429, body = crate::error::Problem,
        content_type = "application/problem+json"), CommandErrors))]
#[post("/issues/{id}/urge")]
pub async fn urge(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<OptionalNote>,
) -> ApiResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    run(&state, &auth, *id, Command::Urge, note.as_deref()).await
}

/// 挂牌督办: mark the issue for key supervision. Its open deadlines turn yellow sooner (`MINSHENG_KEY_WARN_SHARE`,
/// default half the time) and staff hear again sooner once overdue.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = OptionalNote,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/key-supervision")]
pub async fn key_supervision(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<OptionalNote>,
) -> ApiResult<HttpResponse> {
    let note = optional_note(body.note.as_deref(), "note")?;
    run(&state, &auth, *id, Command::KeySupervision, note.as_deref()).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteVisitBody {
    /// What was seen on the spot.
    pub note: String,
    /// Up to 9 of the visitor's own photos, uploaded first with `POST /api/v1/photos`.
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
}

/// 现场督办: record a visit to the place while an agency handles the issue or after its reply.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = SiteVisitBody,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/site-visits")]
pub async fn site_visit(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<SiteVisitBody>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let note = required_note(&body.note, "note")?;
    let photos = PhotoIds::parse(body.photo_ids).map_err(|e| e.at("photo_ids"))?;
    let command = Command::SiteVisit {
        photo_ids: photos.as_slice().to_vec(),
    };
    run(&state, &auth, *id, command, Some(&note)).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    /// Did the problem come back? When it did and rounds are left, the issue reopens for routing again.
    pub came_back: bool,
    pub note: String,
}

/// 回头看: check a closed issue some time after. A problem that came back reopens it (a new round, routed again).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = FollowUpBody,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/follow-ups")]
pub async fn follow_up(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<FollowUpBody>,
) -> ApiResult<HttpResponse> {
    let note = required_note(&body.note, "note")?;
    let came_back = body.came_back;
    run(&state, &auth, *id, Command::FollowUp { came_back }, Some(&note)).await
}
