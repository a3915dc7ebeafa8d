use crate::app;
use crate::app::error::AppResult;
use crate::app::performance::score::PerformanceRecord;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use domain::performance::Source;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    /// The item's code in the scheme in force where the deputy was elected.
    #[schema(example = "A1")]
    pub item: String,
    /// -100 to 100, not 0; negative points are deductions. The item still gives at most its most.
    pub points: i32,
    /// Where this comes from, e.g. the session's attendance sheet.
    #[schema(example = "兰州市第十七届人大四次会议签到表", max_length = 200)]
    pub source: String,
    /// The day it happened; its year is the performance year it counts in.
    pub occurred_on: NaiveDate,
}

/// Enter points for what happened offline (attending the congress, training, one's own work), with their source —
/// staff whose subtree holds the deputy.
#[utoipa::path(operation_id = "enter_performance_points", tag = "performance", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy")),
    request_body = NewEntry,
    responses((status = 201, body = PerformanceRecord)))]
#[post("/deputies/{id}/performance/entries")]
pub async fn enter(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<NewEntry>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let new = app::performance::NewEntry {
        item: body.item,
        points: body.points,
        source: &body.source,
        occurred_on: body.occurred_on,
    };
    let answer = app::performance::enter_points(&state, auth.caller(), *id, new, |row| {
        let record = PerformanceRecord {
            source: Source::Entered,
            record_id: row.id,
            label: row.source,
            at: row.entered_at,
            points: Some(row.points),
            occurred_on: Some(row.occurred_on),
        };
        Answer::json(&auth, StatusCode::CREATED, None, &record)
    })
    .await?;
    Ok(answer.respond())
}
