//! `POST /deputies/{id}/voters/messages`: write to one's voters (the deputy).

use crate::app;
use crate::app::error::AppResult;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Message {
    #[schema(example = "本周五选民接待日", max_length = 40)]
    pub title: String,
    #[schema(max_length = 500)]
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Sent {
    /// Voters told (those whose accounts are enabled).
    pub sent: usize,
}

/// Write to one's voters (the deputy): each gets a notification of kind `deputy_message`.
#[utoipa::path(operation_id = "write_to_voters", tag = "deputies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy")),
    request_body = Message,
    responses((status = 200, body = Sent)))]
#[post("/deputies/{id}/voters/messages")]
pub async fn write(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<Message>,
) -> AppResult<HttpResponse> {
    let message = app::notifications::VoterMessage {
        title: &body.title,
        body: &body.body,
    };
    let answer = app::notifications::write_to_voters(&state, auth.caller(), *id, message, |sent| {
        Answer::json(&auth, StatusCode::OK, None, &Sent { sent })
    })
    .await?;
    Ok(answer.respond())
}
