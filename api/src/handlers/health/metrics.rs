//! `GET /metrics`: prometheus text exposition.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// Prometheus text exposition: `http_requests_total` and `http_request_duration_seconds` by method, route and status,
/// `db_statements_per_request`, and the gauges an operator scales on: `minsheng_schedule_entries`,
/// `minsheng_schedule_lag_seconds`, `minsheng_outbox_messages`, `minsheng_outbox_oldest_pending_seconds`,
/// `minsheng_db_pool_connections` (every process's pools, workers' as their last beat reported) and
/// `minsheng_db_replica_lag_seconds`.
///
/// The figures tell an outsider how the service is used and how it is built, so they are not for everyone who reaches
/// the port: with `MINSHENG_METRICS_TOKEN` set, a scraper sends it as `Authorization: Bearer <token>` (401 otherwise);
/// without it, only callers on the service's own host (a loopback peer address) are answered, anyone else gets 404.
#[utoipa::path(tag = "operations", security((), ("metrics" = [])), responses(
    (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
    (status = 404, description = "Without a metrics token, anyone but the service's own host", body = crate::problem::Problem, content_type = "application/problem+json"),
))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, req: actix_web::HttpRequest) -> AppResult<HttpResponse> {
    match &state.config.metrics_token {
        Some(token) => {
            let sent = crate::extract::auth::bearer_token(req.headers()).unwrap_or_default();
            let expected = secrecy::ExposeSecret::expose_secret(token).as_bytes();
            // Compared in constant time, so the token cannot be guessed a byte at a time from response times.
            let same =
                sent.len() == expected.len() && sent.bytes().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
            if !same {
                return Err(AppError::new(
                    ErrorCode::Unauthenticated,
                    "send the metrics token as `Authorization: Bearer <token>`",
                )
                .with_field("Authorization"));
            }
        }
        None => {
            if !req.peer_addr().is_some_and(|peer| peer.ip().is_loopback()) {
                return Err(AppError::not_found("page"));
            }
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&crate::app::gauges::read(&state).await.values())))
}
