use super::{deputy, scheme_at, PerformanceRecord};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use domain::issue::calendar::calendar_year;
use domain::performance::{entry_points, Source};
use domain::permission::may_assess;
use domain::Invalid;
use infra::db::performance::EntryRow;
use infra::db::AsyncConnection;
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
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let source = domain::text::bounded("source", &body.source, 1, 200)?;
    let points = entry_points(body.points)?;
    let occurred_on = domain::performance::day_passed("occurred_on", body.occurred_on, state.clock.now())?;
    let year = calendar_year(occurred_on.year()).map_err(|e| e.at("occurred_on"))?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, *id).await?;
    may_assess(&auth.actor, d.id, &d.region)?;
    let (_, scheme) = scheme_at(&mut conn, &d.region).await?;
    if scheme.item(&body.item).is_none() {
        return Err(Invalid::new("item", "unknown", "no item of the scheme in force has this code").into());
    }
    let row = EntryRow {
        id: uuid::Uuid::now_v7(),
        deputy_id: d.id,
        year,
        item: body.item,
        points,
        source,
        occurred_on,
        entered_by: auth.actor.user_id,
        entered_at: state.clock.now(),
    };
    let answer = conn
        .transaction(async |conn| {
            infra::db::performance::insert_entry(conn, &row).await?;
            let record = PerformanceRecord {
                source: Source::Entered,
                record_id: row.id,
                label: row.source,
                at: row.entered_at,
                points: Some(row.points),
                occurred_on: Some(row.occurred_on),
            };
            let answer = Answer::json(&auth, StatusCode::CREATED, None, &record)?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
