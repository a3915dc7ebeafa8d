//! `GET /ballots`: ballots, latest opening first.

use crate::app::ballots::read::BallotSummary;
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::page;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListBallots {
    /// Only ballots of this region's subtree (staff, admins).
    pub region: Option<String>,
    pub limit: Option<i64>,
}

/// Ballots, latest opening first: staff see their subtree's, deputies those they are on the roster of.
#[utoipa::path(tag = "ballots", security(("bearer" = [])), params(ListBallots),
    responses((status = 200, body = Vec<BallotSummary>)))]
#[get("/ballots")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListBallots>) -> AppResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    Ok(
        HttpResponse::Ok()
            .json(crate::app::ballots::read::list(&state, &auth, q.region.as_deref(), limit.get()).await?),
    )
}
