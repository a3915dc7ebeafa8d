use super::command::{optional_note, run, CommandErrors};
use super::effects::Effect;
use super::load::visible_issue;
use super::IssueView;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::access::may_route_to;
use domain::issue::Command;
use infra::db::PgConn;
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
    let (lead, co, suggested) = match body.lead_agency_id {
        Some(lead) => (lead, body.co_agency_ids, false),
        None => {
            let rule = match &issue.row.category_code {
                Some(category) => infra::db::routing::suggest(&mut conn, &issue.row.path(), category).await?,
                None => None,
            };
            let rule = rule.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::ValidationFailed,
                    "no routing rule covers this issue's category and region; name the lead agency",
                )
                .with_field("lead_agency_id")
            })?;
            let co = if body.co_agency_ids.is_empty() {
                rule.co_agency_ids
            } else {
                body.co_agency_ids
            };
            (rule.lead_agency_id, co, true)
        }
    };
    let path = issue.row.path();
    check_agency(&mut conn, &path, lead, "lead_agency_id").await?;
    for (i, a) in co.iter().enumerate() {
        check_agency(&mut conn, &path, *a, &format!("co_agency_ids[{i}]")).await?;
    }
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

/// The agency exists, takes work, and serves the issue's region.
async fn check_agency(
    conn: &mut PgConn,
    issue: &domain::organisation::region::RegionPath,
    id: Uuid,
    field: &str,
) -> ApiResult<()> {
    let missing = || ApiError::new(ErrorCode::ValidationFailed, "no such agency").with_field(field);
    let (agency, path) = infra::db::agencies::find(conn, id).await?.ok_or_else(missing)?;
    if !agency.row.enabled {
        return Err(ApiError::new(ErrorCode::ValidationFailed, "this agency is disabled").with_field(field));
    }
    may_route_to(issue, &path, field)?;
    Ok(())
}
