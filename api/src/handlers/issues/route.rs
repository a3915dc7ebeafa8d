use super::command::{execute_as, optional_note, Answers, CommandErrors};
use super::effects::Effect;
use super::load::Loaded;
use super::IssueView;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::handlers::routing_rules::{check_agencies, suggestion};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use infra::db::reference::Reference;
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
    // The lead (and the rules' suggestion) are settled on the issue as locked, with the rest of the command.
    let prepare = |issue: &Loaded, reference: &Reference| {
        let (lead, co, suggested) = match body.lead_agency_id {
            Some(lead) => (lead, body.co_agency_ids.clone(), false),
            None => {
                let rule = issue
                    .row
                    .category_code
                    .as_deref()
                    .and_then(|category| suggestion(reference, &issue.row.path(), category));
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
                    body.co_agency_ids.clone()
                };
                (lead, co, true)
            }
        };
        let co = check_agencies(reference, &issue.row.path(), lead, &co)?;
        let effect = Effect::Route {
            lead,
            complex: body.complex,
            suggested,
        };
        Ok((Command::Route { lead, co }, effect))
    };
    Ok(execute_as(&state, &auth, *id, note.as_deref(), Answers::Issue, prepare)
        .await?
        .respond())
}
