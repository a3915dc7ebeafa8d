//! `POST /issues/bulk`: one command on several issues, each answered on its own.

use super::command::optional_note;
use crate::app::error::{AppError, AppResult};
use crate::app::issues::bulk::{run, Bulk};
use crate::app::issues::route::Routing;
use crate::extract::{AuthUser, Json};
use crate::problem::Problem;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Status;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The most issues one request may name.
const MOST: usize = 50;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BulkAction {
    /// 受理.
    Accept,
    /// 交办: to `lead_agency_id`, or each issue to its own routing rule's agencies when none is named.
    Route,
    /// 催办.
    Urge,
    /// 挂牌督办.
    KeySupervision,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkCommand {
    pub action: BulkAction,
    /// 1 to 50 issues, each named once.
    pub issue_ids: Vec<Uuid>,
    /// For `route`: the lead agency for all; leave out to route each by its own routing rule.
    pub lead_agency_id: Option<Uuid>,
    /// For `route`, with `lead_agency_id`.
    #[serde(default)]
    pub co_agency_ids: Vec<Uuid>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// What happened to one issue.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkItem {
    pub issue_id: Uuid,
    pub ok: bool,
    /// Done: the issue's number.
    pub number: Option<String>,
    /// Done: where the issue stands now.
    pub status: Option<Status>,
    /// Refused: why, as the single command would have answered (`wrong_state`, `forbidden`, `not_found`, …).
    pub problem: Option<Problem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResult {
    pub done: usize,
    pub failed: usize,
    /// One per issue named, in the order named.
    pub items: Vec<BulkItem>,
}

/// 批量: accept, route, urge or mark for key supervision several issues at once. Each issue is its own command —
/// permission-checked, in its own timeline, in its own transaction — so one refused leaves the others done and
/// none half-done; the answer is 200 with each issue's outcome. An issue the caller may not see is `not_found` in
/// its item, as it would be alone.
#[utoipa::path(
    tag = "issue commands",
    security(("bearer" = [])),
    request_body = BulkCommand,
    responses(
        (status = 200, body = BulkResult),
        (status = 422, description = "No issue, more than 50, or one named twice", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/bulk")]
pub async fn bulk(state: web::Data<AppState>, auth: AuthUser, body: Json<BulkCommand>) -> AppResult<HttpResponse> {
    let body = body.0;
    let note = optional_note(body.note.as_deref(), "note")?;
    let ids = &body.issue_ids;
    if ids.is_empty() || ids.len() > MOST {
        return Err(AppError::rule("issue_ids", "count", format!("name 1 to {MOST} issues")));
    }
    if let Some(i) = (1..ids.len()).find(|&i| ids[..i].contains(&ids[i])) {
        return Err(AppError::rule(
            &format!("issue_ids[{i}]"),
            "repeated",
            "each issue may be named once",
        ));
    }
    let command = match body.action {
        BulkAction::Accept => Bulk::Accept,
        BulkAction::Route => Bulk::Route(Routing {
            lead: body.lead_agency_id,
            co: body.co_agency_ids,
            complex: false,
        }),
        BulkAction::Urge => Bulk::Urge,
        BulkAction::KeySupervision => Bulk::KeySupervision,
    };
    let each = run(&state, auth.caller(), ids, &command, note.as_deref()).await;
    let items: Vec<BulkItem> = each
        .into_iter()
        .map(|e| match e.result {
            Ok((number, status)) => BulkItem {
                issue_id: e.issue_id,
                ok: true,
                number: Some(number),
                status: Some(status),
                problem: None,
            },
            Err(err) => {
                if err.code.status() >= 500 {
                    tracing::error!(error = ?err, issue_id = %e.issue_id, "a bulk command failed");
                }
                BulkItem {
                    issue_id: e.issue_id,
                    ok: false,
                    number: None,
                    status: None,
                    problem: Some(err.problem()),
                }
            }
        })
        .collect();
    let done = items.iter().filter(|i| i.ok).count();
    Ok(HttpResponse::Ok().json(BulkResult {
        done,
        failed: items.len() - done,
        items,
    }))
}
