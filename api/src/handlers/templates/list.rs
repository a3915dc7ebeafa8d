use super::Template;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::template::TemplateKind;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TemplateQuery {
    /// A region code: templates of that region and below.
    pub region: Option<String>,
    pub kind: Option<TemplateKind>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The templates kept in the caller's scope, newest first.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(TemplateQuery),
    responses(
        (status = 200, body = Page<Template>),
    )
)]
#[get("/templates")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, query: Query<TemplateQuery>) -> AppResult<HttpResponse> {
    let limit = limit(query.limit)?;
    let after = decode_uuid_cursor(query.cursor.as_deref())?;
    let rows =
        crate::app::templates::list(&state, &auth, query.region.as_deref(), query.kind, after, limit.probe()).await?;
    let answer: Page<Template> = crate::page::try_page(rows, limit, |r| r.id.to_string(), Template::try_from)?;
    Ok(HttpResponse::Ok().json(answer))
}
