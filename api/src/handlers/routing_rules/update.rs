use super::RoutingRule;
use crate::app::error::{AppError, AppResult};
use crate::app::routing::check_agencies;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{patch, web, HttpResponse};
use domain::permission::AdminScope;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRule {
    pub lead_agency_id: Option<Uuid>,
    pub co_agency_ids: Option<Vec<Uuid>>,
}

/// Change which agencies a rule names.
#[utoipa::path(
    tag = "routing",
    security(("bearer" = [])),
    request_body = UpdateRule,
    responses(
        (status = 200, body = RoutingRule),
    )
)]
#[patch("/routing-rules/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<UpdateRule>,
) -> AppResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (rule, path) = infra::db::routing::find_rule(&mut conn, *id)
        .await?
        .ok_or_else(|| AppError::not_found("routing rule"))?;
    scope.may_manage_in(&path)?;
    let lead = body.lead_agency_id.unwrap_or(rule.lead_agency_id);
    let co = body.co_agency_ids.clone().unwrap_or(rule.co_agency_ids);
    let reference = state.reference.at_least(&mut conn, auth.reference_version).await?;
    let co = check_agencies(&reference, &path, lead, &co)?;
    let row = infra::db::routing::update_rule(&mut conn, *id, lead, &co, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(RoutingRule::from(row)))
}
