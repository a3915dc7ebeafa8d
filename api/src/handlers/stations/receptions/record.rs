//! `POST /stations/{id}/receptions`: record a reception day held at the station (staff over it, its deputies).

use super::Reception;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use domain::permission::may_plan_reception;
use domain::Invalid;
use infra::db::reception_days::ReceptionDayRow;
use infra::db::users::UserFilter;
use infra::db::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReception {
    pub held_on: NaiveDate,
    /// The deputies who received people: deputies who serve at the station.
    pub deputy_ids: Vec<Uuid>,
    /// What was discussed, e.g. the suggested topics taken up.
    #[schema(max_length = 2000)]
    pub topics: String,
    pub visitors: i32,
}

/// Record a reception day held at the station (staff over it, its deputies). Recording the same date again corrects
/// that day's record: a station holds one reception day a date.
#[utoipa::path(operation_id = "record_reception", tag = "stations", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The station")),
    request_body = NewReception,
    responses((status = 200, body = Reception)))]
#[post("/stations/{id}/receptions")]
pub async fn record(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<NewReception>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let topics = domain::text::bounded("topics", &body.topics, 1, 2000)?;
    if !(0..=100_000).contains(&body.visitors) {
        return Err(Invalid::new("visitors", "out_of_range", "0 to 100000").into());
    }
    if body.deputy_ids.is_empty() || body.deputy_ids.len() > 50 {
        return Err(Invalid::new("deputy_ids", "out_of_range", "1 to 50 deputies").into());
    }
    let held_on = domain::performance::day_passed("held_on", body.held_on, state.clock.now())?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (station, region) = infra::db::stations::find(&mut conn, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("station"))?;
    may_plan_reception(&auth.actor, station.id, &region)?;
    let filter = UserFilter {
        role: Some("deputy"),
        station: Some(station.id),
        ..UserFilter::default()
    };
    let serving: Vec<Uuid> = infra::db::users::list(&mut conn, &filter, 10_000)
        .await?
        .into_iter()
        .map(|u| u.row.id)
        .collect();
    let mut deputies = Vec::with_capacity(body.deputy_ids.len());
    for (i, d) in body.deputy_ids.iter().enumerate() {
        if !serving.contains(d) {
            return Err(Invalid::new(
                format!("deputy_ids[{i}]"),
                "not_serving",
                "not a deputy who serves at this station",
            )
            .into());
        }
        if deputies.contains(d) {
            return Err(Invalid::new(format!("deputy_ids[{i}]"), "repeated", "each deputy once").into());
        }
        deputies.push(*d);
    }
    let row = ReceptionDayRow {
        id: Uuid::now_v7(),
        station_id: station.id,
        held_on,
        topics,
        visitors: body.visitors,
        recorded_by: auth.actor.user_id,
        created_at: state.clock.now(),
    };
    let answer = conn
        .transaction(async |conn| {
            let stored = infra::db::reception_days::record(conn, &row, &deputies).await?;
            let answer = Answer::json(&auth, StatusCode::OK, None, &Reception::of(stored, deputies))?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
