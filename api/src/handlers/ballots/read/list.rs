//! `GET /ballots`: ballots, latest opening first.

use crate::app::error::AppResult;
use crate::app::reach::list_prefix;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::handlers::ballots::phase_of;
use crate::page;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use domain::ballot::Phase;
use domain::permission::AdminScope;
use domain::role::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListBallots {
    /// Only ballots of this region's subtree (staff, admins).
    pub region: Option<String>,
    pub limit: Option<i64>,
}

/// A ballot in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct BallotSummary {
    pub id: Uuid,
    pub region_code: String,
    pub title: String,
    pub session: String,
    pub seats: i32,
    pub phase: Phase,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub roster_size: i32,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Ballots, latest opening first: staff see their subtree's, deputies those they are on the roster of.
#[utoipa::path(tag = "ballots", security(("bearer" = [])), params(ListBallots),
    responses((status = 200, body = Vec<BallotSummary>)))]
#[get("/ballots")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListBallots>) -> AppResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let rows = if auth.actor.role == Role::Deputy {
        infra::db::ballots::list(&mut conn, None, Some(auth.actor.user_id), limit.get()).await?
    } else {
        let scope = AdminScope::of(&auth.actor)?;
        let prefix = list_prefix(&mut conn, &scope, q.region.as_deref()).await?;
        infra::db::ballots::list(&mut conn, prefix.as_deref(), None, limit.get()).await?
    };
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|b| BallotSummary {
                phase: phase_of(&b, now),
                id: b.id,
                region_code: b.region_code,
                title: b.title,
                session: b.session,
                seats: b.seats,
                opens_at: b.opens_at,
                closes_at: b.closes_at,
                roster_size: b.roster_size,
                closed_at: b.closed_at,
            })
            .collect::<Vec<_>>(),
    ))
}
