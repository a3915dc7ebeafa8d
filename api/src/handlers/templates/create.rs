use super::Template;
use crate::app::reach::region_to_manage;
use crate::app::templates::check_fit;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::permission::AdminScope;
use domain::template::{TemplateBody, TemplateKind, TemplateTitle};
use infra::db::templates::NewTemplate;
use infra::db::AsyncConnection;
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
        (status = 404, description = "The region or agency named is not within the caller's scope", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (an unknown placeholder in `body`)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/templates")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<CreateTemplate>) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let title = TemplateTitle::parse(&body.title)?;
    let text = TemplateBody::parse(&body.body)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = region_to_manage(&mut conn, &scope, &body.region_code, "region_code").await?;
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    check_fit(&scope, &reference, body.agency_id, body.category_code.as_deref())?;
    let new = NewTemplate {
        region_code: &region.code,
        agency_id: body.agency_id,
        category_code: body.category_code.as_deref(),
        kind: body.kind.as_str(),
        title: title.as_str(),
        body: text.as_str(),
        created_by: auth.actor.user_id,
    };
    let answer = conn
        .transaction(async |conn| {
            let row = infra::db::templates::insert(conn, &new).await?;
            let location = format!("/api/v1/templates/{}", row.id);
            let answer = Answer::created(&auth, location, &Template::try_from(row)?)?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
