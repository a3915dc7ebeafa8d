//! In-app notifications, and citizens' answers to WeChat's subscription prompt.

use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json, Query};
use crate::idempotency::Answer;
use crate::page::{decode_uuid_cursor, limit, page, Page};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::permission::may_subscribe;
use infra::db::notifications::{NotificationRow, SubscriptionRow};
use infra::db::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Something the person was told.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    /// `accepted`, `routed`, `replied`, `closed`, `urged`, `key_supervision`, `warned`, `due` or `overdue`.
    pub kind: String,
    pub issue_id: Option<Uuid>,
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
            title: n.title,
            body: n.body,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// Only those not read yet.
    #[serde(default)]
    pub unread: bool,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The caller's notifications, newest first. The `X-Unread-Count` header says how many are unread in all.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(NotificationQuery),
    responses((status = 200, body = Page<Notification>,
        headers(("X-Unread-Count" = i64, description = "Unread notifications in all")))))]
#[get("/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<NotificationQuery>,
) -> ApiResult<HttpResponse> {
    let limit = limit(query.limit)?;
    let before = decode_uuid_cursor(query.cursor.as_deref())?;
    let me = auth.actor.user_id;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = infra::db::notifications::of_user(&mut conn, me, query.unread, before, limit.probe()).await?;
    let unread = infra::db::notifications::unread_count(&mut conn, me).await?;
    let answer: Page<Notification> = page(rows, limit, |n| n.id.to_string(), Notification::from);
    Ok(HttpResponse::Ok()
        .insert_header(("X-Unread-Count", unread.to_string()))
        .json(answer))
}

/// Mark one of the caller's notifications read (again is fine).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/notifications/{id}/read")]
pub async fn read(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let now = state.clock.now();
    let answer = conn
        .transaction(async |conn| {
            if !infra::db::notifications::mark_read(conn, auth.actor.user_id, *id, now).await? {
                return Err(ApiError::not_found("notification"));
            }
            let answer = Answer::empty(&auth);
            answer.keep(conn).await?;
            Ok(answer)
        })
        .await?;
    Ok(answer.respond())
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

/// The caller's subscriptions.
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<Subscription>)))]
#[get("/wechat/subscriptions")]
pub async fn subscriptions(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    may_subscribe(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(HttpResponse::Ok().json(subscriptions_of(&mut conn, auth.actor.user_id).await?))
}

async fn subscriptions_of(conn: &mut infra::db::PgConn, user: Uuid) -> ApiResult<Vec<Subscription>> {
    Ok(infra::db::notifications::subscriptions(conn, user)
        .await?
        .into_iter()
        .map(Subscription::from)
        .collect())
}
