//! `POST /wechat/subscriptions`: record the citizen's answers to the subscription prompt.

use super::Subscription;
use crate::app;
use crate::app::error::AppResult;
use crate::app::notifications::SubscriptionAnswer;
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
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
) -> AppResult<HttpResponse> {
    let mut answers = Vec::new();
    for (template, answer) in &body.answers {
        let accepted = match answer.as_str() {
            "accept" => true,
            "reject" | "ban" => false,
            _ => {
                let field = format!("answers.{template}");
                return Err(domain::Invalid::new(field, "invalid_answer", "must be accept, reject or ban").into());
            }
        };
        answers.push(SubscriptionAnswer {
            template: template.clone(),
            accepted,
        });
    }
    let answer = app::notifications::subscribe(&state, auth.caller(), answers, |rows| {
        let standing: Vec<Subscription> = rows.into_iter().map(Subscription::from).collect();
        Answer::json(&auth, StatusCode::OK, None, &standing)
    })
    .await?;
    Ok(answer.respond())
}
