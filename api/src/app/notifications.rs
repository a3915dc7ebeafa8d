//! What people are told and how: in-app notices read, WeChat subscriptions answered, a deputy's message to their
//! voters, dead letters queued again and agencies' webhooks kept.

use crate::app::error::{AppError, AppResult};
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::organisation::webhook::{WebhookSecret, WebhookUrl};
use domain::permission::{may_see_outbox, may_subscribe, may_write_to_voters, AdminScope};
use infra::db::notifications::NewNotification;
use infra::db::notifications::{NotificationRow, SubscriptionRow};
use infra::db::webhooks::WebhookRow;
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Marks one of the caller's notifications read (again is fine).
///
/// # Errors
/// `not_found` for a notification not the caller's.
pub async fn mark_read<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    answer: impl FnOnce(()) -> AppResult<K> + Send,
) -> AppResult<K> {
    let (user, now) = (caller.actor.user_id, state.clock.now());
    let mut conn = infra::db::pool::conn(&state.db).await?;
    commit(
        &mut conn,
        |conn| {
            async move {
                if infra::db::notifications::mark_read(conn, user, id, now).await? {
                    Ok(())
                } else {
                    Err(AppError::not_found("notification"))
                }
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// A citizen's answer to WeChat's subscription prompt for one template.
pub struct SubscriptionAnswer {
    pub template: String,
    pub accepted: bool,
}

/// Records the citizen's answers to the subscription prompt; done, their standing with every template.
///
/// # Errors
/// `validation_failed` at `answers.{template}` for a template this server does not send.
pub async fn subscribe<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    answers: Vec<SubscriptionAnswer>,
    answer: impl FnOnce(Vec<SubscriptionRow>) -> AppResult<K> + Send,
) -> AppResult<K> {
    may_subscribe(&caller.actor)?;
    let known: Vec<&str> = state
        .config
        .wechat
        .as_ref()
        .map(|w| w.templates.iter().map(|(_, t)| t.as_str()).collect())
        .unwrap_or_default();
    if let Some(unknown) = answers.iter().find(|a| !known.contains(&a.template.as_str())) {
        let field = format!("answers.{}", unknown.template);
        return Err(domain::Invalid::new(field, "unknown_template", "is not a template this server sends").into());
    }
    let (me, now) = (caller.actor.user_id, state.clock.now());
    let mut conn = infra::db::pool::conn(&state.db).await?;
    commit(
        &mut conn,
        |conn| {
            async move {
                for a in &answers {
                    infra::db::notifications::answer_subscription(conn, me, &a.template, a.accepted, now).await?;
                }
                Ok(infra::db::notifications::subscriptions(conn, me).await?)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// What a deputy writes to their voters.
pub struct VoterMessage<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

/// A deputy writes to everyone who follows them (their voters); done, how many it reached.
///
/// # Errors
/// `forbidden` for anyone but the deputy; `validation_failed` on an empty or too long title or body.
pub async fn write_to_voters<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    deputy: Uuid,
    message: VoterMessage<'_>,
    answer: impl FnOnce(usize) -> AppResult<K> + Send,
) -> AppResult<K> {
    may_write_to_voters(&caller.actor, deputy)?;
    let title = domain::text::bounded("title", message.title, 1, 40)?;
    let text = domain::text::bounded("body", message.body, 1, 500)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let audience = infra::db::voters::of_deputy(&mut conn, deputy).await?;
    let key = format!("deputy-message:{}", Uuid::now_v7());
    let now = state.clock.now();
    let (audience, key, title, text) = (&audience, &key, &title, &text);
    commit(
        &mut conn,
        |conn| {
            async move {
                let note = NewNotification {
                    issue_id: None,
                    project_id: None,
                    kind: "deputy_message",
                    event_key: key,
                    title,
                    body: text,
                };
                Ok(infra::db::notifications::tell(conn, audience, &note, now).await?)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// Queues a dead letter again, from its first attempt (admins, once the receiving end is fixed).
///
/// # Errors
/// `forbidden` for anyone who may not see the outbox; `not_found` for no such dead letter.
pub async fn revive<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    answer: impl FnOnce(()) -> AppResult<K> + Send,
) -> AppResult<K> {
    may_see_outbox(&caller.actor)?;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    commit(
        &mut conn,
        |conn| {
            async move {
                if infra::db::outbox::revive(conn, id, now).await? {
                    Ok(())
                } else {
                    Err(AppError::not_found("dead letter"))
                }
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// Whether the caller may keep the webhooks of `agency`: an admin, or staff whose region holds it.
///
/// # Errors
/// `not_found` for an agency out of the caller's sight; `forbidden` for one they see but may not manage.
pub async fn agency_in_reach(conn: &mut PgConn, caller: &Caller, agency: Uuid) -> AppResult<()> {
    let scope = AdminScope::of(&caller.actor)?;
    let (_, path) = infra::db::agencies::find(conn, agency)
        .await?
        .ok_or_else(|| AppError::not_found("agency"))?;
    scope.may_see(&path).map_err(|_| AppError::not_found("agency"))?;
    scope.may_manage_in(&path)?;
    Ok(())
}

/// A webhook to add: the address is checked to be one the service may call (not its own network).
pub struct NewWebhook<'a> {
    pub agency_id: Uuid,
    pub url: &'a str,
    pub secret: &'a str,
}

/// Adds a webhook for an agency.
///
/// # Errors
/// `validation_failed` on `url` (malformed, or an address refused) or `secret`; `not_found` / `forbidden` for an
/// agency out of reach.
pub async fn add_webhook<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    new: NewWebhook<'_>,
    answer: impl FnOnce(WebhookRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let url = WebhookUrl::parse(new.url)?;
    let secret = WebhookSecret::parse(new.secret)?;
    state
        .webhooks
        .check(url.as_str())
        .await
        .map_err(|why| domain::Invalid::new("url", "address_refused", why.to_string()))?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    agency_in_reach(&mut conn, caller, new.agency_id).await?;
    let (agency, by, url, secret) = (new.agency_id, caller.actor.user_id, &url, &secret);
    commit(
        &mut conn,
        |conn| {
            async move { Ok(infra::db::webhooks::create(conn, agency, url.as_str(), secret.expose(), by).await?) }
                .scope_boxed()
        },
        answer,
    )
    .await
}

/// Stops a webhook; messages already queued for it become dead letters.
///
/// # Errors
/// `not_found` for a webhook stopped already or out of the caller's reach.
pub async fn stop_webhook(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<()> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let hook = infra::db::webhooks::find(&mut conn, id)
        .await?
        .filter(|h| h.enabled)
        .ok_or_else(|| AppError::not_found("webhook"))?;
    agency_in_reach(&mut conn, caller, hook.agency_id)
        .await
        .map_err(|_| AppError::not_found("webhook"))?;
    infra::db::webhooks::disable(&mut conn, hook.id).await?;
    Ok(())
}

/// Something the person was told.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    /// `accepted`, `routed`, `replied`, `closed`, `urged`, `key_supervision`, `warned`, `due` or `overdue`.
    pub kind: String,
    pub issue_id: Option<Uuid>,
    /// The livelihood project it is about: a milestone's warning, a plan change, a comment's answer.
    pub project_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<NotificationRow> for Notification {
    fn from(n: NotificationRow) -> Self {
        Notification {
            id: n.id,
            kind: n.kind,
            issue_id: n.issue_id,
            project_id: n.project_id,
            title: n.title,
            body: n.body,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

/// A citizen's standing with one subscribe-message template.
#[derive(Debug, Serialize, ToSchema)]
pub struct Subscription {
    pub template_id: String,
    /// Messages that may still be sent (each "accept" allows one).
    pub credits: i32,
    /// When the citizen rejected it, or WeChat said they refused (43101): nothing is sent until they accept again.
    pub refused_at: Option<DateTime<Utc>>,
}

impl From<SubscriptionRow> for Subscription {
    fn from(s: SubscriptionRow) -> Self {
        Subscription {
            template_id: s.template_id,
            credits: s.credits,
            refused_at: s.refused_at,
        }
    }
}

/// A citizen's standing with each subscribe-message template.
///
/// # Errors
/// 403 for anyone but a citizen.
pub async fn subscriptions(state: &AppState, caller: &Caller) -> AppResult<Vec<Subscription>> {
    may_subscribe(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(infra::db::notifications::subscriptions(&mut conn, caller.actor.user_id)
        .await?
        .into_iter()
        .map(Subscription::from)
        .collect())
}

/// The webhooks of the agencies in the caller's reach.
///
/// # Errors
/// 403 for anyone but staff and admins.
pub async fn webhooks(state: &AppState, caller: &Caller) -> AppResult<Vec<WebhookRow>> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let agencies = match scope.path_prefix() {
        None => None,
        Some(prefix) => Some(infra::db::agencies::ids_under(&mut conn, prefix).await?),
    };
    Ok(infra::db::webhooks::list(&mut conn, agencies.as_deref()).await?)
}

/// The caller's notifications, newest first (only the unread, when asked), before `before`, `probe` at most; and
/// how many are unread.
///
/// # Errors
/// PostgreSQL failing.
pub async fn mine(
    state: &AppState,
    caller: &Caller,
    unread: bool,
    before: Option<Uuid>,
    probe: i64,
) -> AppResult<(Vec<NotificationRow>, i64)> {
    let me = caller.actor.user_id;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = infra::db::notifications::of_user(&mut conn, me, unread, before, probe).await?;
    let unread = infra::db::notifications::unread_count(&mut conn, me).await?;
    Ok((rows, unread))
}
