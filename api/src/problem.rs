//! The edge's side of failure: every `AppError` answered as RFC 9457 `application/problem+json` with its stable code
//! (also the last segment of `type`), its HTTP status and, where they apply, `Retry-After` and `WWW-Authenticate`.

use crate::app::error::{AppError, FieldError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:minsheng:problem:{code}`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code.
    pub code: String,
    /// The field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field at fault, for validation failures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `wrong_state`: where the issue stands now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// For `wrong_state`: what the caller may do in that state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<String>>,
}

impl AppError {
    #[must_use]
    pub fn problem(&self) -> Problem {
        // A broken rule always comes with `errors[]`, as the README promises; one made without naming its own code
        // gets a generic entry from its field and detail.
        let errors = if self.errors.is_empty() && self.code.status() == 422 {
            vec![FieldError {
                field: self.field.clone().unwrap_or_default(),
                code: "invalid".to_owned(),
                message: self.detail.clone(),
            }]
        } else {
            self.errors.clone()
        };
        Problem {
            type_: self.code.type_uri(),
            title: self.code.title().to_owned(),
            status: self.code.status(),
            detail: self.detail.clone(),
            code: self.code.as_str().to_owned(),
            field: self.field.clone(),
            errors,
            state: self.state.as_ref().map(|b| b.0.clone()),
            allowed_actions: self.state.as_ref().map(|b| b.1.clone()),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if self.code.status() >= 500 {
            tracing::error!(error = ?self, "request failed");
        }
        problem_response(&self.problem(), self.retry_after)
    }
}

/// Renders a problem document with its content type (and `Retry-After`, `WWW-Authenticate` where they apply).
#[must_use]
pub fn problem_response(problem: &Problem, retry_after: Option<u64>) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = HttpResponse::build(status);
    res.insert_header((
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    ));
    if let Some(seconds) = retry_after {
        res.insert_header((header::RETRY_AFTER, seconds.to_string()));
    }
    if status == StatusCode::UNAUTHORIZED {
        res.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
    }
    res.body(serde_json::to_vec(problem).unwrap_or_default())
}
