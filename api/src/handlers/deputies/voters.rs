//! 每名代表联系选民: the voters a deputy keeps in touch with. A citizen follows a deputy from the deputy's QR code
//! (the scene names the deputy); the deputy sees their voters' issues first in the inbox and writes to them through
//! notifications.

use crate::app::people::deputy;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::identity::SceneTarget;
use domain::permission::{may_follow_deputy, may_keep_deputies, may_see_voters, may_write_to_voters};
use infra::db::notifications::NewNotification;
use infra::db::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A deputy the caller follows.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowedDeputy {
    pub deputy_id: Uuid,
    pub name: String,
    pub region_code: String,
    pub since: DateTime<Utc>,
}

/// Follow a deputy (citizens who scanned the deputy's card, i.e. signed in with its scene): the caller becomes one
/// of the voters the deputy keeps in touch with, hears what the deputy writes to them and, after following for
/// `MINSHENG_VOTER_RATING_MIN_FOLLOW_DAYS`, may rate the deputy each year. Following again changes nothing; a
/// citizen who never scanned the card gets 403.
#[utoipa::path(operation_id = "follow_deputy", tag = "deputies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy, as their QR code's scene names them")),
    responses((status = 200, body = FollowedDeputy)))]
#[put("/me/deputies/{id}")]
pub async fn follow(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    may_keep_deputies(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, *id).await?;
    if !d.enabled {
        return Err(ApiError::not_found("deputy"));
    }
    let scanned = infra::db::scenes::has_scanned(&mut conn, auth.actor.user_id, SceneTarget::Deputy(d.id)).await?;
    may_follow_deputy(&auth.actor, scanned)?;
    let since = infra::db::voters::follow(&mut conn, d.id, auth.actor.user_id, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(FollowedDeputy {
        deputy_id: d.id,
        name: d.name,
        region_code: d.region_code,
        since,
    }))
}

/// Stop following a deputy (citizens). Answers 204 whether or not the caller followed them.
#[utoipa::path(operation_id = "unfollow_deputy", tag = "deputies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy")),
    responses((status = 204, description = "Not following")))]
#[delete("/me/deputies/{id}")]
pub async fn unfollow(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    may_keep_deputies(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    infra::db::voters::unfollow(&mut conn, *id, auth.actor.user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The deputies the caller follows, earliest first.
#[utoipa::path(operation_id = "followed_deputies", tag = "deputies", security(("bearer" = [])),
    responses((status = 200, body = Vec<FollowedDeputy>)))]
#[get("/me/deputies")]
pub async fn followed(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    may_keep_deputies(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let links = infra::db::voters::followed_by(&mut conn, auth.actor.user_id).await?;
    let mut shown = Vec::with_capacity(links.len());
    for (id, since) in links {
        if let Ok(d) = deputy(&mut conn, id).await {
            shown.push(FollowedDeputy {
                deputy_id: d.id,
                name: d.name,
                region_code: d.region_code,
                since,
            });
        }
    }
    Ok(HttpResponse::Ok().json(shown))
}

/// The voters who follow a deputy.
#[derive(Debug, Serialize, ToSchema)]
pub struct Voters {
    pub count: usize,
    pub voter_ids: Vec<Uuid>,
}

/// Who follows the deputy (the deputy, staff over them). Names and phones stay with the citizens' accounts.
#[utoipa::path(operation_id = "deputy_voters", tag = "deputies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy")),
    responses((status = 200, body = Voters)))]
#[get("/deputies/{id}/voters")]
pub async fn voters(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, *id).await?;
    may_see_voters(&auth.actor, d.id, &d.region)?;
    let voter_ids = infra::db::voters::of_deputy(&mut conn, d.id).await?;
    Ok(HttpResponse::Ok().json(Voters {
        count: voter_ids.len(),
        voter_ids,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Message {
    #[schema(example = "本周五选民接待日")]
    pub title: String,
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
