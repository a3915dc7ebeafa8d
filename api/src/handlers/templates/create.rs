use super::Template;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::template::TemplateKind;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTemplate {
    pub kind: TemplateKind,
    #[schema(example = "330281")]
    pub region_code: String,
    pub agency_id: Option<Uuid>,
    pub category_code: Option<String>,
    #[schema(max_length = 40, example = "路灯已修复")]
    pub title: String,
    /// Placeholders: {编号} {标题} {地点} {分类} {反映日期} {今天} {主办单位} {办理时限}.
    #[schema(
        max_length = 2000,
        example = "您反映的{编号}（{地点}）路灯不亮问题，已于{今天}修复，感谢您的监督。"
    )]
    pub body: String,
}

/// Keep a template for a region of the caller's scope (staff: their region and below; admins: anywhere).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    request_body = CreateTemplate,
    responses(
        (status = 201, body = Template, headers(("Location" = String))),
        (status = 404, description = "The region or agency named is not within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (an unknown placeholder in `body`)", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/templates")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateTemplate>) -> AppResult<HttpResponse> {
    let asked = app::templates::NewTemplateAsked {
        kind: body.kind,
        region_code: &body.region_code,
        agency_id: body.agency_id,
        category_code: body.category_code.as_deref(),
        title: &body.title,
        body: &body.body,
    };
    let answer = app::templates::add(&state, auth.caller(), asked, |row| {
        let location = format!("/api/v1/templates/{}", row.id);
        Answer::created(&auth, location, &Template::try_from(row)?)
    })
    .await?;
    Ok(answer.respond())
}
