//! Agency systems' webhooks: where an agency's routed issues, urges, reminders and escalations are POSTed, signed
//! (see `infra::webhook`). Admins, and staff whose region holds the agency, keep them.

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::organisation::webhook::{WebhookSecret, WebhookUrl};
use domain::permission::AdminScope;
use infra::db::webhooks::WebhookRow;
use infra::db::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    pub agency_id: Uuid,
    /// `https://…` (or `http://` for a system on the same private network). Loopback, link-local, private and other
    /// special-purpose addresses are refused (422 `address_refused`) unless inside a network the deployment trusts
    /// (`MINSHENG_WEBHOOK_TRUSTED_NETWORKS`); cloud metadata addresses always. Every delivery checks the address it
    /// connects to again.
    pub url: String,
    /// At least 16 characters: the key of the HMAC-SHA256 signature.
    pub secret: String,
}

/// A webhook; its secret is never shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub url: String,
    pub created_at: DateTime<Utc>,
}

impl From<WebhookRow> for Webhook {
    fn from(w: WebhookRow) -> Self {
        Webhook {
            id: w.id,
            agency_id: w.agency_id,
            url: w.url,
            created_at: w.created_at,
        }
    }
}

/// The agency's region, if the actor may keep its webhooks.
async fn agency_in_reach(conn: &mut infra::db::PgConn, auth: &AuthUser, agency: Uuid) -> ApiResult<()> {
    let scope = AdminScope::of(&auth.actor)?;
    let (_, path) = infra::db::agencies::find(conn, agency)
        .await?
        .ok_or_else(|| ApiError::not_found("agency"))?;
    scope.may_see(&path).map_err(|_| ApiError::not_found("agency"))?;
    scope.may_manage_in(&path)?;
    Ok(())
}

/// Add a webhook for an agency.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), request_body = NewWebhook,
    responses(
        (status = 201, body = Webhook),
        (status = 404, description = "The agency named does not exist within the caller's scope", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[post("/webhooks")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<NewWebhook>) -> ApiResult<HttpResponse> {
    let url = WebhookUrl::parse(&body.url)?;
    let secret = WebhookSecret::parse(&body.secret)?;
    state
        .webhooks
        .check(url.as_str())
        .await
        .map_err(|why| domain::Invalid::new("url", "address_refused", why.to_string()))?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    agency_in_reach(&mut conn, &auth, body.agency_id).await?;
    let answer = conn
        .transaction(async |conn| {
            let row =
                infra::db::webhooks::create(conn, body.agency_id, url.as_str(), secret.expose(), auth.actor.user_id)
                    .await?;
            let answer = Answer::created(&auth, format!("/api/v1/webhooks/{}", row.id), &Webhook::from(row))?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}

/// The webhooks the caller keeps (admins: all; staff: their region's agencies').
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<Webhook>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/webhooks")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let agencies = match scope.path_prefix() {
        None => None,
        Some(prefix) => Some(infra::db::agencies::ids_under(&mut conn, prefix).await?),
    };
    let hooks: Vec<Webhook> = infra::db::webhooks::list(&mut conn, agencies.as_deref())
        .await?
        .into_iter()
        .map(Webhook::from)
        .collect();
    Ok(HttpResponse::Ok().json(hooks))
}

/// Stop a webhook. Messages already queued for it become dead letters.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
#[delete("/webhooks/{id}")]
pub async fn remove(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let hook = infra::db::webhooks::find(&mut conn, *id)
        .await?
        .filter(|h| h.enabled)
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    agency_in_reach(&mut conn, &auth, hook.agency_id)
        .await
        .map_err(|_| ApiError::not_found("webhook"))?;
    infra::db::webhooks::disable(&mut conn, hook.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
