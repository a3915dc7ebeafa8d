//! What happens around every request: a request id (taken from `X-Request-Id` when sane, else made), a tracing span,
//! an access log line, metrics, and a last guard that turns any error answer that is not yet a problem document into one.

use crate::app::error::{AppError, ErrorCode};
use crate::problem::problem_response;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{ConnectionType, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tracing::Instrument;
use uuid::Uuid;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        })
        .map_or_else(|| Uuid::now_v7().to_string(), str::to_owned);
    let method = req.method().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let vote = Vote::of(req.method(), req.path());
    // A paper leaves no line in the log, at any level: a line with its time beside a deputy's check-in would say
    // whose paper it is. Its request runs without a span and its statements unlogged; it is only counted.
    let span = if vote == Some(Vote::Paper) {
        tracing::Span::none()
    } else {
        tracing::info_span!("http", request_id = %request_id, method = %method, path = %req.path())
    };

    // Handler errors arrive here already rendered as responses; an Err is a failure of the framework itself.
    let work = AssertUnwindSafe(next.call(req).instrument(span.clone())).catch_unwind();
    let (answered, statements) = if vote == Some(Vote::Paper) {
        infra::db::statements::counted(infra::db::statements::unlogged(work)).await
    } else {
        infra::db::statements::counted(work).await
    };
    let res = match answered {
        Ok(res) => res?.map_into_boxed_body(),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            // A bug must cost one 500 problem document, not the connection. The request is gone (the handler
            // owned it), so the answer goes back as an error, which actix renders with `AppError::error_response`.
            let err = AppError::internal(anyhow::anyhow!("handler panicked: {what}"));
            span.in_scope(|| tracing::error!(error = ?err, "handler panicked"));
            return Err(err.into());
        }
    };
    let mut res = ensure_problem(res);
    if let Some(state) = &state {
        crate::headers::secure(&mut res, &state.config);
    }

    let status = res.status().as_u16();
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let seconds = started.elapsed().as_secs_f64();
    if let Some(state) = state {
        state.metrics.observe(&method, &route, status, seconds, statements);
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    if vote.is_some() {
        // The next step of a vote comes on a connection of its own: a check-in and a paper never share one, so no
        // proxy or server log puts them side by side on the same connection.
        res.response_mut().head_mut().set_connection_type(ConnectionType::Close);
    }
    if vote != Some(Vote::Paper) {
        span.in_scope(|| {
            tracing::info!(status, route = %route, elapsed_ms = seconds * 1000.0, statements, "answered");
        });
    }
    Ok(res)
}

/// The two steps of a secret vote, which nothing may join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vote {
    /// `POST /api/v1/ballots/{id}/check-in`: signed in, known, logged like any request.
    CheckIn,
    /// `POST /api/v1/ballots/{id}/papers`: anonymous, and kept out of the log.
    Paper,
}

impl Vote {
    fn of(method: &Method, path: &str) -> Option<Self> {
        if *method != Method::POST {
            return None;
        }
        let rest = path.strip_prefix("/api/v1/ballots/")?;
        match rest.split_once('/') {
            Some((id, "papers")) if !id.is_empty() => Some(Vote::Paper),
            Some((id, "check-in")) if !id.is_empty() => Some(Vote::CheckIn),
            _ => None,
        }
    }
}

/// Error answers made outside our handlers (the router, actix's own extractors) come without a problem document:
/// give them one so clients meet a single error shape everywhere.
fn ensure_problem(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return res;
    }
    let code = match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::ServiceUnavailable,
        s if s.is_client_error() => ErrorCode::InvalidBody,
        _ => ErrorCode::InternalError,
    };
    let mut problem = AppError::new(code, code.title()).problem();
    problem.status = status.as_u16();
    let (req, _) = res.into_parts();
    ServiceResponse::new(req, problem_response(&problem, None))
}

#[cfg(test)]
mod tests {
    use super::observe;
    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App, HttpResponse};

    async fn boom() -> HttpResponse {
        panic!("a bug in a handler")
    }

    #[actix_web::test]
    async fn a_panicking_handler_answers_a_500_problem_document() {
        let app = test::init_service(App::new().route("/boom", web::get().to(boom)).wrap(from_fn(observe))).await;
        let res = test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request()).await;
        let Err(err) = res else {
            panic!("the panic comes back as an error")
        };
        let res = err.error_response();
        assert_eq!(res.status(), 500);
        assert_eq!(
            res.headers().get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/problem+json")
        );
        let body = actix_web::body::to_bytes(res.into_body()).await.expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["code"], "internal_error");
        assert!(
            !body.to_string().contains("a bug in a handler"),
            "the cause stays in the log"
        );
    }
}
