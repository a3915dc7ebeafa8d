use super::Template;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTemplate {
    #[schema(max_length = 40)]
    pub title: Option<String>,
    #[schema(max_length = 2000)]
    pub body: Option<String>,
}

/// Change a template's title or text (within the caller's scope).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    request_body = UpdateTemplate,
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Template),
        (status = 404, description = "No such template within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/templates/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<UpdateTemplate>,
) -> AppResult<HttpResponse> {
    let row = app::templates::change(&state, auth.caller(), *id, body.title.as_deref(), body.body.as_deref()).await?;
    Ok(HttpResponse::Ok().json(Template::try_from(row)?))
}
