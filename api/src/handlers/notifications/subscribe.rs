//! `POST /wechat/subscriptions`: record the citizen's answers to the subscription prompt.

use super::{subscriptions_of, Subscription};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use domain::permission::may_subscribe;
use infra::db::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;

/// What `wx.requestSubscribeMessage` answered, template by template: `{"TEMPLATE_ID": "accept" | "reject" | "ban"}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionAnswers {
    pub answers: std::collections::BTreeMap<String, String>,
}

/// Record the citizen's answers to the subscription prompt; only templates configured on this server are taken.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), request_body = SubscriptionAnswers,
    responses(
        (status = 200, body = Vec<Subscription>),
    ))]
#[post("/wechat/subscriptions")]
pub async fn subscribe(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<SubscriptionAnswers>,
) -> ApiResult<HttpResponse> {
    may_subscribe(&auth.actor)?;
    let known: Vec<&str> = state
        .config
        .wechat
        .as_ref()
        .map(|w| w.templates.iter().map(|(_, t)| t.as_str()).collect())
        .unwrap_or_default();
    let mut answers = Vec::new();
    for (template, answer) in &body.answers {
        let field = format!("answers.{template}");
        if !known.contains(&template.as_str()) {
            return Err(domain::Invalid::new(field, "unknown_template", "is not a template this server sends").into());
        }
        let accepted = match answer.as_str() {
            "accept" => true,
            "reject" | "ban" => false,
            _ => return Err(domain::Invalid::new(field, "invalid_answer", "must be accept, reject or ban").into()),
        };
        answers.push((template.clone(), accepted));
    }
    let me = auth.actor.user_id;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let answer = conn
        .transaction(async |conn| {
            for (template, accepted) in &answers {
                infra::db::notifications::answer_subscription(conn, me, template, *accepted, now).await?;
            }
            let answer = Answer::json(&auth, StatusCode::OK, None, &subscriptions_of(conn, me).await?)?;
            answer.keep(conn).await?;
            Ok::<_, ApiError>(answer)
        })
        .await?;
    Ok(answer.respond())
}
