//! `POST /deputies/{id}/voters/messages`: write to one's voters (the deputy).

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::permission::may_write_to_voters;
use infra::db::notifications::NewNotification;
use infra::db::AsyncConnection;
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
) -> ApiResult<HttpResponse> {
    may_write_to_voters(&auth.actor, *id)?;
    let title = domain::text::bounded("title", &body.title, 1, 40)?;
    let text = domain::text::bounded("body", &body.body, 1, 500)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let audience = infra::db::voters::of_deputy(&mut conn, *id).await?;
    let key = format!("deputy-message:{}", Uuid::now_v7());
    let note = NewNotification {
        issue_id: None,
        kind: "deputy_message",
        event_key: &key,
        title: &title,
        body: &text,
    };
    let now = state.clock.now();
    let answer = conn
        .transaction(async |conn| {
            let sent = infra::db::notifications::tell(conn, &audience, &note, now).await?;
            let answer = Answer::json(&auth, StatusCode::OK, None, &Sent { sent })?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
