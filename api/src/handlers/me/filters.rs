//! `/me/filters`: the caller's saved filters (我区红牌, 待我审批), theirs on any device they sign in on.

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::saved_filter::{FilterName, FilterQuery, Screen, MOST};
use infra::db::saved_filters::FilterRow;
use infra::db::AsyncConnection;
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
    type Error = ApiError;
    fn try_from(r: FilterRow) -> Result<Self, ApiError> {
        Ok(SavedFilter {
            id: r.id,
            screen: r.screen.parse().map_err(ApiError::internal)?,
            name: r.name,
            query: serde_json::from_value(r.query).map_err(ApiError::internal)?,
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
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = infra::db::saved_filters::of(&mut conn, auth.actor.user_id).await?;
    let filters: Vec<SavedFilter> = rows.into_iter().map(SavedFilter::try_from).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(filters))
}

/// Save a filter under a name of the caller's (at most 30 filters; a name once per screen).
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = NewFilter,
    responses((status = 201, body = SavedFilter, headers(("Location" = String))),
        (status = 409, description = "A filter of this name is kept for this screen already", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter the list does not take, or 30 filters kept already", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/me/filters")]
pub async fn save(state: web::Data<AppState>, auth: AuthUser, body: Json<NewFilter>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let name = FilterName::parse(&body.name)?;
    let query = FilterQuery::parse(body.screen, body.query)?;
    let value = serde_json::to_value(query.as_map()).map_err(ApiError::internal)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let answer = conn
        .transaction(async |conn| {
            let user = auth.actor.user_id;
            let row = infra::db::saved_filters::insert(conn, user, body.screen.as_str(), name.as_str(), &value, MOST)
                .await
                .map_err(|e| match e {
                    infra::db::DbError::Duplicate(_) => ApiError::new(
                        ErrorCode::AlreadyExists,
                        "a filter of this name is kept for this list already",
                    )
                    .with_field("name"),
                    e => ApiError::from(e),
                })?
                .ok_or_else(|| {
                    ApiError::rule("name", "too_many", format!("at most {MOST} filters; remove one first"))
                })?;
            let location = format!("/api/v1/me/filters/{}", row.id);
            let answer = Answer::created(&auth, location, &SavedFilter::try_from(row)?)?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}

/// Remove one of the caller's saved filters. Another person's is not found.
#[utoipa::path(tag = "me", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Removed"),
        (status = 404, description = "No such filter of the caller's", body = crate::error::Problem, content_type = "application/problem+json")))]
#[delete("/me/filters/{id}")]
pub async fn remove(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    if !infra::db::saved_filters::delete(&mut conn, auth.actor.user_id, *id).await? {
        return Err(ApiError::not_found("saved filter"));
    }
    Ok(HttpResponse::NoContent().finish())
}
