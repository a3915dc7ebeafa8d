use super::Policy;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::reach::region_to_manage;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::issue::deadline::{DeadlinePolicy, Span};
use domain::permission::AdminScope;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutPolicy {
    /// Leave out for every region (admins only).
    pub region_code: Option<String>,
    /// Leave out for every category.
    pub category_code: Option<String>,
    pub policy: DeadlinePolicy,
}

/// Set the policy for a region and/or a category (replacing the one there). Staff set policies of regions in their
/// scope; only admins set service-wide ones.
#[utoipa::path(
    tag = "routing",
    security(("bearer" = [])),
    request_body = PutPolicy,
    responses(
        (status = 200, body = Policy),
    )
)]
#[put("/deadline-policies")]
pub async fn put(state: web::Data<AppState>, auth: AuthUser, body: Json<PutPolicy>) -> AppResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let policy = body.policy;
    for (field, span) in [
        ("policy.sign", policy.sign),
        ("policy.reply", policy.reply),
        ("policy.reply_complex", policy.reply_complex),
        ("policy.rereply", policy.rereply),
        ("policy.suggestion", policy.suggestion),
        ("policy.rate", policy.rate),
    ] {
        Span::parse(&format!("{field}.count"), i64::from(span.count), span.unit)?;
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = match &body.region_code {
        Some(code) => Some(region_to_manage(&mut conn, &scope, code, "region_code").await?.code),
        None => {
            scope.may_create_root_region().map_err(|_| {
                AppError::new(ErrorCode::Forbidden, "only admins set policies for every region")
                    .with_field("region_code")
            })?;
            None
        }
    };
    if let Some(code) = &body.category_code {
        if infra::db::categories::find(&mut conn, code).await?.is_none() {
            return Err(AppError::rule("category_code", "unknown_category", "no such category"));
        }
    }
    let policy: DeadlinePolicy = policy;
    let row = infra::db::routing::upsert_policy(
        &mut conn,
        region.as_deref(),
        body.category_code.as_deref(),
        &policy,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Policy::try_from(row)?))
}
