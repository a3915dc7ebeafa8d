//! `POST /issues/{id}/site-visits`: 现场督办.

use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::handlers::issues::command::{required_note, run, CommandErrors};
use crate::handlers::issues::IssueView;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::report::PhotoIds;
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteVisitBody {
    /// What was seen on the spot.
    #[schema(max_length = 2000)]
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
) -> AppResult<HttpResponse> {
    let body = body.0;
    let note = required_note(&body.note, "note")?;
    let photos = PhotoIds::parse(body.photo_ids).map_err(|e| e.at("photo_ids"))?;
    let command = Command::SiteVisit {
        photo_ids: photos.as_slice().to_vec(),
    };
    run(&state, &auth, *id, command, Some(&note)).await
}
