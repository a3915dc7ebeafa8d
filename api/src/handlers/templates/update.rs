use super::Template;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::permission::AdminScope;
use domain::template::{TemplateBody, TemplateTitle};
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
    let scope = AdminScope::of(&auth.actor)?;
    let title = body.title.as_deref().map(TemplateTitle::parse).transpose()?;
    let text = body.body.as_deref().map(TemplateBody::parse).transpose()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = super::remove::in_scope(&mut conn, &scope, *id).await?;
    let title = title.as_ref().map_or(row.title.as_str(), TemplateTitle::as_str);
    let text = text.as_ref().map_or(row.body.as_str(), TemplateBody::as_str);
    let row = infra::db::templates::update(&mut conn, *id, title, text, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(Template::try_from(row)?))
}
