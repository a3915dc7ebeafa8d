use super::{count, deputy, scheme_at, with_records, year_of, PerformanceAspect};
use crate::app::error::{AppError, AppResult};
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::performance::Assessment;
use domain::permission::may_read_performance;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// 2000–2100; default: this year (Asia/Shanghai).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// A deputy's performance in a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct Performance {
    pub deputy_id: Uuid,
    pub name: String,
    pub region_code: String,
    pub year: i32,
    /// The region whose scheme scored it; absent: the default scheme (3 aspects, 11 items, 100 points).
    pub scheme_region: Option<String>,
    /// 记工分: out of 100.
    pub total: u32,
    pub max: u32,
    pub aspects: Vec<PerformanceAspect>,
    /// 三维联评.
    pub assessment: Assessment,
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
    let (year, start, end) = year_of(q.year, state.clock.now())?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, *id).await?;
    may_read_performance(&auth.actor, d.id, &d.region)?;
    let (scheme_region, scheme) = scheme_at(&mut conn, &d.region).await?;
    let counted = count(&mut conn, &[(d.id, &scheme)], year, (start, end))
        .await?
        .remove(&d.id)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a deputy counted is missing")))?;
    Ok(HttpResponse::Ok().json(Performance {
        deputy_id: d.id,
        name: d.name,
        region_code: d.region_code,
        year,
        scheme_region,
        total: counted.total,
        max: 100,
        assessment: counted.assessment.clone(),
        aspects: with_records(counted),
    }))
}
