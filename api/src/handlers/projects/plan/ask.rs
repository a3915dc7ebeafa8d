//! `POST /projects/{id}/plan-changes`: the responsible agency asks to change the plan.

use super::PlanChange;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use domain::ballot::MilestoneTitle;
use domain::project::plan::{Change, ChangeKind, ChangeReason};
use domain::Invalid;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskPlanChange {
    /// `postpone` (a milestone to a later day), `add` (a new milestone) or `amend` (a milestone's content).
    pub kind: ChangeKind,
    /// The milestone to postpone or amend; not for `add`.
    pub milestone_id: Option<Uuid>,
    /// The new day: for `postpone` and `add`.
    pub planned_on: Option<NaiveDate>,
    /// The new milestone's or the amended one's title: for `add` and `amend`.
    #[schema(example = "完成二期管网铺设", max_length = 100)]
    pub title: Option<String>,
    /// Why, as the public page will show it.
    #[schema(example = "雨季施工受阻，管材到货延迟", max_length = 500)]
    pub reason: String,
}

impl AskPlanChange {
    /// The change this asks, each field present where its kind needs it and absent where it does not.
    fn change(&self) -> Result<Change, Invalid> {
        let needed = |field: &str| Invalid::new(field, "required", format!("a {} change needs it", self.kind.as_str()));
        let unwanted = |field: &str| {
            Invalid::new(
                field,
                "not_allowed",
                format!("a {} change does not take it", self.kind.as_str()),
            )
        };
        let title = || -> Result<MilestoneTitle, Invalid> {
            MilestoneTitle::parse(self.title.as_deref().ok_or_else(|| needed("title"))?)
        };
        Ok(match self.kind {
            ChangeKind::Postpone => {
                if self.title.is_some() {
                    return Err(unwanted("title"));
                }
                Change::Postpone {
                    milestone: self.milestone_id.ok_or_else(|| needed("milestone_id"))?,
                    to: self.planned_on.ok_or_else(|| needed("planned_on"))?,
                }
            }
            ChangeKind::Add => {
                if self.milestone_id.is_some() {
                    return Err(unwanted("milestone_id"));
                }
                Change::Add {
                    title: title()?,
                    planned_on: self.planned_on.ok_or_else(|| needed("planned_on"))?,
                }
            }
            ChangeKind::Amend => {
                if self.planned_on.is_some() {
                    return Err(unwanted("planned_on"));
                }
                Change::Amend {
                    milestone: self.milestone_id.ok_or_else(|| needed("milestone_id"))?,
                    title: title()?,
                }
            }
        })
    }
}

/// Ask to change an elected project's plan (the responsible agency's handlers): postpone an open milestone to a later
/// day, add a milestone, or amend an open one's title, with a reason. Staff over the project are told and decide; the
/// request is on the project's timeline and public page.
#[utoipa::path(operation_id = "ask_plan_change", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = AskPlanChange,
    responses((status = 201, body = PlanChange),
        (status = 409, description = "A request on this milestone waits for a decision", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/projects/{id}/plan-changes")]
pub async fn ask(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<AskPlanChange>,
) -> AppResult<HttpResponse> {
    let change = body.change()?;
    let reason = ChangeReason::parse(&body.reason)?;
    let answer = app::projects::plan::ask(&state, auth.caller(), *id, (change, reason), |c| {
        Answer::json(&auth, StatusCode::CREATED, None, &c)
    })
    .await?;
    Ok(answer.respond())
}
