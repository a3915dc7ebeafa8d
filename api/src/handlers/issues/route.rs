use super::command::{optional_note, run, CommandErrors};
use super::effects::Effect;
use super::load::visible_issue;
use super::IssueView;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::handlers::routing_rules::{check_agencies, suggestion};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// 主办. Leave out to take the routing rules' suggestion for the issue's category and region.
    pub lead_agency_id: Option<Uuid>,
    /// 协办: agencies that post their part; the lead replies for all.
    #[serde(default)]
    pub co_agency_ids: Vec<Uuid>,
    /// A complex issue gets the longer reply deadline.
    #[serde(default)]
    pub complex: bool,
    pub note: Option<String>,
}

/// 转办: route an accepted or reopened issue to a lead agency (and co-agencies) with a deadline to sign (staff).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])), request_body = Route,
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/route")]
pub async fn route(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Route>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let note = optional_note(body.note.as_deref(), "note")?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let issue = visible_issue(&mut conn, &auth.actor, *id).await?;
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    let (lead, co, suggested) = match body.lead_agency_id {
        Some(lead) => (lead, body.co_agency_ids, false),
        None => {
            let rule = match &issue.row.category_code {
                Some(category) => suggestion(&reference, &issue.row.path(), category),
                None => None,
            };
            let (lead, suggested_co) = rule.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::ValidationFailed,
                    "no routing rule covers this issue's category and region; name the lead agency",
                )
                .with_field("lead_agency_id")
            })?;
            let co = if body.co_agency_ids.is_empty() {
                suggested_co
            } else {
                body.co_agency_ids
            };
            (lead, co, true)
        }
    };
    let co = check_agencies(&reference, &issue.row.path(), lead, &co)?;
    drop(conn);
    let complex = body.complex;
    let command = Command::Route { lead, co: co.clone() };
    run(
        &state,
        &auth,
        *id,
        command,
        note.as_deref(),
        Effect::Route {
            lead,
            complex,
            suggested,
        },
    )
    .await
}
