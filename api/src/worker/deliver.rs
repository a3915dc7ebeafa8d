//! Delivering the outbox: WeChat subscribe messages and signed webhooks. Messages are claimed for a lease
//! (`FOR UPDATE SKIP LOCKED`), so two workers never send one at once; each is marked sent, refused (WeChat 43101:
//! the citizen said no — their subscription is marked and nothing more is sent with that template), retried with
//! growing pauses, or after the configured attempts given up as a dead letter that admins see.

use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use infra::db::outbox::{Delivery, OutboxRow};
use infra::webhook::DeliveryError;
use infra::wechat::WeChatError;

const BATCH: i64 = 50;

/// WeChat's errcode for a citizen who refused the subscription (or has none left).
const REFUSED: i64 = 43101;

/// Delivers what is due, batch after batch. Answers how many messages were settled.
pub async fn tick(state: &AppState) -> usize {
    let mut settled = 0;
    loop {
        let now = state.clock.now();
        let lease = Duration::from_std(state.config.worker.lease).unwrap_or(Duration::seconds(60));
        let claimed = match infra::db::pool::conn(&state.db).await {
            Ok(mut conn) => infra::db::outbox::claim(&mut conn, now, lease, BATCH).await,
            Err(e) => Err(e),
        };
        let claimed = match claimed {
            Ok(c) if c.is_empty() => return settled,
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "could not claim messages to deliver; will retry");
                return settled;
            }
        };
        for row in claimed {
            let outcome = deliver(state, &row, now).await;
            if let Delivery::Dead(why) = &outcome {
                tracing::warn!(outbox_id = %row.id, channel = %row.channel, error = %why, "gave up delivering a message");
            }
            let recorded = match infra::db::pool::conn(&state.db).await {
                Ok(mut conn) => settle(&mut conn, &row, &outcome, now).await,
                Err(e) => Err(e),
            };
            match recorded {
                Ok(()) => settled += 1,
                Err(e) => tracing::warn!(error = %e, outbox_id = %row.id, "could not record a delivery"),
            }
        }
    }
}

async fn settle(
    conn: &mut infra::db::PgConn,
    row: &OutboxRow,
    outcome: &Delivery,
    now: DateTime<Utc>,
) -> Result<(), infra::db::DbError> {
    if let (Delivery::Refused(_), Some(user)) = (outcome, row.user_id) {
        if let Some(template) = row.payload["template_id"].as_str() {
            infra::db::notifications::refuse(conn, user, template, now).await?;
        }
    }
    infra::db::outbox::settle(conn, row.id, outcome, now).await
}

/// One attempt.
async fn deliver(state: &AppState, row: &OutboxRow, now: DateTime<Utc>) -> Delivery {
    let attempt = match row.channel.as_str() {
        "wechat" => wechat(state, row).await,
        "webhook" => webhook(state, row, now).await,
        other => Err(Failure::Final(format!("unknown channel {other}"))),
    };
    match attempt {
        Ok(()) => Delivery::Sent,
        Err(Failure::Refused(why)) => Delivery::Refused(why),
        Err(Failure::Final(why)) => Delivery::Dead(why),
        Err(Failure::Again(why)) if row.attempts >= i32::try_from(state.config.worker.max_attempts).unwrap_or(8) => {
            Delivery::Dead(format!("{why} (after {} attempts)", row.attempts))
        }
        Err(Failure::Again(error)) => Delivery::Retry {
            error,
            at: now + backoff(row.attempts),
        },
    }
}

enum Failure {
    /// The recipient said no.
    Refused(String),
    /// Trying again cannot help.
    Final(String),
    /// It may work later.
    Again(String),
}

/// 10 s after the first attempt, doubling, at most an hour.
fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    Duration::seconds((10_i64 << exp).min(3600))
}

async fn wechat(state: &AppState, row: &OutboxRow) -> Result<(), Failure> {
    let client = state
        .wechat
        .as_ref()
        .ok_or_else(|| Failure::Final("WeChat is not configured".to_owned()))?;
    let user = row.user_id.ok_or_else(|| Failure::Final("no recipient".to_owned()))?;
    let openid = match infra::db::pool::conn(&state.db).await {
        Ok(mut conn) => infra::db::users::openid_of(&mut conn, user).await,
        Err(e) => Err(e),
    }
    .map_err(|e| Failure::Again(e.to_string()))?
    .ok_or_else(|| Failure::Final("the citizen has no WeChat account any more".to_owned()))?;
    let p = &row.payload;
    let template = p["template_id"].as_str().unwrap_or_default();
    let page = p["page"].as_str().unwrap_or_default();
    match client.send_subscribe_message(&openid, template, page, &p["data"]).await {
        Ok(()) => Ok(()),
        Err(WeChatError::Refused {
            errcode: REFUSED,
            errmsg,
        }) => Err(Failure::Refused(format!("43101 {errmsg}"))),
        Err(e @ WeChatError::Refused { .. }) => Err(Failure::Final(e.to_string())),
        Err(e) => Err(Failure::Again(e.to_string())),
    }
}

async fn webhook(state: &AppState, row: &OutboxRow, now: DateTime<Utc>) -> Result<(), Failure> {
    let id = row.webhook_id.ok_or_else(|| Failure::Final("no webhook".to_owned()))?;
    let hook = match infra::db::pool::conn(&state.db).await {
        Ok(mut conn) => infra::db::webhooks::find(&mut conn, id).await,
        Err(e) => Err(e),
    }
    .map_err(|e| Failure::Again(e.to_string()))?
    .filter(|h| h.enabled)
    .ok_or_else(|| Failure::Final("the webhook was removed".to_owned()))?;
    let mut body = row.payload.clone();
    body["delivery_id"] = serde_json::json!(row.id);
    let bytes = serde_json::to_vec(&body).map_err(|e| Failure::Final(e.to_string()))?;
    // An address the policy refuses stays refused however often it is tried: a dead letter at once, for admins to see.
    state
        .webhooks
        .deliver(&hook.url, &hook.secret, &row.id.to_string(), now.timestamp(), bytes)
        .await
        .map_err(|e| match e {
            DeliveryError::Refused(why) => Failure::Final(why.to_string()),
            DeliveryError::Failed(why) => Failure::Again(why),
        })
}
