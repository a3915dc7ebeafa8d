use super::RoutingRule;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Query};
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RuleQuery {
    /// A region code: rules of that region and below.
    pub region: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Routing rules in the caller's scope.
#[utoipa::path(
    tag = "routing",
    security(("bearer" = [])),
    params(RuleQuery),
    responses(
        (status = 200, body = Page<RoutingRule>),
    )
)]
#[get("/routing-rules")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, query: Query<RuleQuery>) -> AppResult<HttpResponse> {
    let limit = limit(query.limit)?;
    let after = decode_uuid_cursor(query.cursor.as_deref())?;
    let rows =
        crate::app::organisation::routing::rules(&state, &auth, query.region.as_deref(), after, limit.probe()).await?;
    let answer: Page<RoutingRule> = page(rows, limit, |r| r.id.to_string(), RoutingRule::from);
    Ok(HttpResponse::Ok().json(answer))
}
