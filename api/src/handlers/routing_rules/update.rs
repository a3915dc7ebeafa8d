use super::RoutingRule;
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
    let body = body.0;
    let row =
        app::organisation::routing::change_rule(&state, auth.caller(), *id, body.lead_agency_id, body.co_agency_ids)
            .await?;
    Ok(HttpResponse::Ok().json(RoutingRule::from(row)))
}
