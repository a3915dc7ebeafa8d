//! Problem documents for path and query strings that do not parse.

use crate::error::{ApiError, ErrorCode};
use actix_web::{error, web, HttpRequest};

#[must_use]
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(
        |err: error::QueryPayloadError, _req: &HttpRequest| {
            let detail = match &err {
                error::QueryPayloadError::Deserialize(e) => e.to_string(),
                other => other.to_string(),
            };
            let mut e = ApiError::new(
                ErrorCode::InvalidQuery,
                format!("the query string is not valid: {detail}"),
            );
            if let Some(name) = detail.split('`').nth(1) {
                e = e.with_field(name.to_owned());
            }
            e.into()
        },
    )
}

#[must_use]
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: error::PathError, _req: &HttpRequest| {
        ApiError::new(
            ErrorCode::InvalidPath,
            format!("the path is not valid: {err}"),
        )
        .into()
    })
}
