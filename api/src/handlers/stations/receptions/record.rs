//! `POST /stations/{id}/receptions`: record a reception day held at the station (staff over it, its deputies).

use super::Reception;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
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
) -> AppResult<HttpResponse> {
    let new = app::performance::NewReception {
        held_on: body.held_on,
        deputy_ids: &body.deputy_ids,
        topics: &body.topics,
        visitors: body.visitors,
    };
    let answer = app::performance::record_reception(&state, auth.caller(), *id, new, |(stored, deputies)| {
        Answer::json(&auth, StatusCode::OK, None, &Reception::of(stored, deputies))
    })
    .await?;
    Ok(answer.respond())
}
