use super::command::{optional_note, run_prepared, CommandErrors};
use super::IssueView;
use crate::app::error::AppResult;
use crate::app::issues::route::{routing, Routing};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
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
    #[schema(max_length = 2000)]
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
) -> AppResult<HttpResponse> {
    let body = body.0;
    let note = optional_note(body.note.as_deref(), "note")?;
    let asked = Routing {
        lead: body.lead_agency_id,
        co: body.co_agency_ids,
        complex: body.complex,
    };
    // The lead (and the rules' suggestion) are settled on the issue as locked, with the rest of the command.
    run_prepared(&state, &auth, *id, note.as_deref(), |issue, reference| {
        routing(&asked, issue, reference)
    })
    .await
}
