use crate::app::error::AppResult;
use crate::app::templates::for_issue as fitting;
use crate::extract::{Query, Reader};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::template::TemplateKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ForIssueQuery {
    pub kind: TemplateKind,
}

/// A template filled in for one issue, to edit before sending.
#[derive(Debug, Serialize, ToSchema)]
pub struct FilledTemplate {
    pub id: Uuid,
    pub title: String,
    /// The template's text with the issue's number, place, dates and agency put in.
    pub text: String,
    pub agency_id: Option<Uuid>,
    pub category_code: Option<String>,
    pub region_code: String,
}

/// 知识库 for this issue: the templates of `kind` that fit it — kept for its region or one above, for no agency or
/// the caller's (or the issue's lead agency), for no category or its own — closest fit first, filled in. For
/// whoever works the issue; citizens get 403.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ForIssueQuery),
    responses(
        (status = 200, body = Vec<FilledTemplate>),
        (status = 403, description = "Citizens answer in their own words", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue within the caller's reach", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/issues/{id}/templates")]
pub async fn for_issue(
    state: web::Data<AppState>,
    reader: Reader,
    id: web::Path<Uuid>,
    query: Query<ForIssueQuery>,
) -> AppResult<HttpResponse> {
    let filled = fitting(&state, reader.holder(), *id, query.kind).await?;
    let answer: Vec<FilledTemplate> = filled
        .into_iter()
        .map(|f| FilledTemplate {
            id: f.row.id,
            title: f.row.title,
            text: f.text,
            agency_id: f.row.agency_id,
            category_code: f.row.category_code,
            region_code: f.row.region_code,
        })
        .collect();
    Ok(HttpResponse::Ok().json(answer))
}
