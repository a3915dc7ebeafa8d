//! Liveness, readiness and metrics: what orchestrators and Prometheus ask.

use crate::error::{problem_response, ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

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

/// The process is up. Says nothing about PostgreSQL or Redis.
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// Ready to serve: PostgreSQL and Redis both answer. 503 names the one that does not.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, body = Readiness),
        (status = 503, description = "A dependency does not answer", body = crate::error::Problem, content_type = "application/problem+json"),
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
    let mut problem = ApiError::new(
        ErrorCode::ServiceUnavailable,
        format!("not ready: {} not answering", failing.join(" and ")),
    )
    .problem();
    problem.errors = [("postgres", &postgres), ("redis", &redis)]
        .iter()
        .filter(|(_, s)| *s != "ok")
        .map(|(f, s)| crate::error::FieldError {
            field: (*f).to_owned(),
            code: "unavailable".to_owned(),
            message: (*s).clone(),
        })
        .collect();
    problem_response(&problem, Some(5))
}

/// Prometheus text exposition: `http_requests_total` and `http_request_duration_seconds` by method, route and status.
///
/// The figures tell an outsider how the service is used and how it is built, so they are not for everyone who reaches
/// the port: with `MINSHENG_METRICS_TOKEN` set, a scraper sends it as `Authorization: Bearer <token>` (401 otherwise);
/// without it, only callers on the service's own host (a loopback peer address) are answered, anyone else gets 404.
#[utoipa::path(tag = "operations", security((), ("metrics" = [])), responses(
    (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
    (status = 404, description = "Without a metrics token, anyone but the service's own host", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, req: actix_web::HttpRequest) -> ApiResult<HttpResponse> {
    match &state.config.metrics_token {
        Some(token) => {
            let sent = crate::extract::auth::bearer_token(req.headers()).unwrap_or_default();
            let expected = secrecy::ExposeSecret::expose_secret(token).as_bytes();
            // Compared in constant time, so the token cannot be guessed a byte at a time from response times.
            let same =
                sent.len() == expected.len() && sent.bytes().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
            if !same {
                return Err(ApiError::new(
                    ErrorCode::Unauthenticated,
                    "send the metrics token as `Authorization: Bearer <token>`",
                )
                .with_field("Authorization"));
            }
        }
        None => {
            if !req.peer_addr().is_some_and(|peer| peer.ip().is_loopback()) {
                return Err(ApiError::not_found("page"));
            }
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render()))
}
