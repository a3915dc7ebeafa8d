use crate::app::error::AppResult;
use crate::app::performance::ranking::Ranked;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// The deputies of this region's subtree; default: the caller's.
    pub region: Option<String>,
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// The year's ranking of deputies by points (then by 三维联评), for staff. Each deputy is scored by the scheme in
/// force where they were elected. A deputy gets their own row only: their place among the deputies of their region
/// (`region` is not theirs to choose).
#[utoipa::path(operation_id = "performance_ranking", tag = "performance", security(("bearer" = [])),
    params(RankingQuery),
    responses((status = 200, body = Vec<Ranked>),
        (status = 422, description = "The year is outside 2000–2100", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/performance/ranking")]
pub async fn ranking(state: web::Data<AppState>, auth: AuthUser, q: Query<RankingQuery>) -> AppResult<HttpResponse> {
    let rows = crate::app::performance::ranking::ranking(&state, &auth, q.region.as_deref(), q.year).await?;
    Ok(HttpResponse::Ok().json(rows))
}
