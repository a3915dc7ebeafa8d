//! `/me/filters`: the caller's saved filters (我区红牌, 待我审批), theirs on any device they sign in on.

use crate::app;
use crate::app::error::{AppError, AppResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::saved_filter::Screen;
use infra::db::saved_filters::FilterRow;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedFilter {
    pub id: Uuid,
    pub screen: Screen,
    pub name: String,
    /// The list's query parameters, as the screen passes them.
    pub query: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<FilterRow> for SavedFilter {
    type Error = AppError;
    fn try_from(r: FilterRow) -> Result<Self, AppError> {
        Ok(SavedFilter {
            id: r.id,
            screen: r.screen.parse().map_err(AppError::internal)?,
            name: r.name,
            query: serde_json::from_value(r.query).map_err(AppError::internal)?,
            created_at: r.created_at,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFilter {
    pub screen: Screen,
    #[schema(max_length = 20, example = "我区红牌")]
    pub name: String,
    /// The list's filters: for `issues` any of status, warning, q, category, region, agency, station; for
    /// `deadlines` any of warning, agency, category, stage, region.
    #[schema(example = json!({"warning": "red"}))]
    pub query: BTreeMap<String, String>,
}

/// The caller's saved filters, by screen then name.
#[utoipa::path(tag = "me", security(("bearer" = [])), responses((status = 200, body = Vec<SavedFilter>)))]
#[get("/me/filters")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    let rows = app::me::filters(&state, auth.caller()).await?;
    let filters: Vec<SavedFilter> = rows.into_iter().map(SavedFilter::try_from).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(filters))
}

/// Save a filter under a name of the caller's (at most 30 filters; a name once per screen).
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = NewFilter,
    responses((status = 201, body = SavedFilter, headers(("Location" = String))),
        (status = 409, description = "A filter of this name is kept for this screen already", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter the list does not take, or 30 filters kept already", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[post("/me/filters")]
pub async fn save(state: web::Data<AppState>, auth: AuthUser, body: Json<NewFilter>) -> AppResult<HttpResponse> {
    let body = body.0;
    let answer = app::me::save_filter(&state, auth.caller(), body.screen, &body.name, body.query, |row| {
        let location = format!("/api/v1/me/filters/{}", row.id);
        Answer::created(&auth, location, &SavedFilter::try_from(row)?)
    })
    .await?;
    Ok(answer.respond())
}

/// Remove one of the caller's saved filters. Another person's is not found.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Removed"),
        (status = 404, description = "No such filter of the caller's", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[delete("/me/filters/{id}")]
pub async fn remove(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    app::me::remove_filter(&state, auth.caller(), *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
