//! `POST /webhooks`: add a webhook for an agency.

use super::{agency_in_reach, Webhook};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::organisation::webhook::{WebhookSecret, WebhookUrl};
use infra::db::AsyncConnection;
use serde::Deserialize;
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
