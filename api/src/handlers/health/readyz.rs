//! `GET /readyz`: ready to serve.

use crate::app::error::{AppError, ErrorCode};
use crate::problem::problem_response;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// Readiness of each dependency.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    /// `ok`, or why PostgreSQL does not answer.
    pub postgres: String,
    /// `ok`, or why Redis does not answer.
    pub redis: String,
}

/// Ready to serve: PostgreSQL and Redis both answer. 503 names the one that does not.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, body = Readiness),
        (status = 503, description = "A dependency does not answer", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let limit = Duration::from_secs(2);
    let (pg, redis) = tokio::join!(
        tokio::time::timeout(limit, infra::db::pool::ping(&state.db)),
        tokio::time::timeout(limit, state.redis.ping()),
    );
    let postgres = match pg {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => format!("unavailable: {e}"),
        Err(_) => "unavailable: no answer within 2 s".to_owned(),
    };
    let redis = match redis {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => format!("unavailable: {e}"),
        Err(_) => "unavailable: no answer within 2 s".to_owned(),
    };
    if postgres == "ok" && redis == "ok" {
        return HttpResponse::Ok().json(Readiness {
            status: "ready",
            postgres,
            redis,
        });
    }
    let failing: Vec<&str> = [("PostgreSQL", &postgres), ("Redis", &redis)]
        .iter()
        .filter(|(_, s)| *s != "ok")
        .map(|(n, _)| *n)
        .collect();
    let mut problem = AppError::new(
        ErrorCode::ServiceUnavailable,
        format!("not ready: {} not answering", failing.join(" and ")),
    )
    .problem();
    problem.errors = [("postgres", &postgres), ("redis", &redis)]
        .iter()
        .filter(|(_, s)| *s != "ok")
        .map(|(f, s)| crate::app::error::FieldError {
            field: (*f).to_owned(),
            code: "unavailable".to_owned(),
            message: (*s).clone(),
        })
        .collect();
    problem_response(&problem, Some(5))
}
