//! `POST /webhooks`: add a webhook for an agency.

use super::Webhook;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
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
        (status = 404, description = "The agency named does not exist within the caller's scope", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
#[post("/webhooks")]
pub async fn create(state: web::Data<AppState>, auth: AuthUser, body: Json<NewWebhook>) -> AppResult<HttpResponse> {
    let new = app::notifications::NewWebhook {
        agency_id: body.agency_id,
        url: &body.url,
        secret: &body.secret,
    };
    let answer = app::notifications::add_webhook(&state, auth.caller(), new, |row| {
        Answer::created(&auth, format!("/api/v1/webhooks/{}", row.id), &Webhook::from(row))
    })
    .await?;
    Ok(answer.respond())
}
