use crate::app::error::AppResult;
use crate::app::performance::score::Performance;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// 2000–2100; default: this year (Asia/Shanghai).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// 记工分: a deputy's points for a year — the total, each aspect and item, and the records behind every item (the
/// issues, ballots, inspections, reception days and ratings the platform recorded, and staff entries with their
/// source) — with 三维联评. The deputy, and staff whose subtree holds them; for anyone else, 404.
///
/// Taking part in a ballot counts from the roster's check-in: what a deputy chose is secret, and whether their paper
/// came is not recorded against them.
#[utoipa::path(operation_id = "deputy_performance", tag = "performance", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy"), YearQuery),
    responses((status = 200, body = Performance),
        (status = 422, description = "The year is outside 2000–2100", body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/deputies/{id}/performance")]
pub async fn get(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: Query<YearQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::performance::score::read(&state, &auth, *id, q.year).await?))
}
