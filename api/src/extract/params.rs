//! Query strings and paths that do not parse answer 400 problem documents naming the parameter.

use super::json::field_of;
use crate::app::error::{AppError, ErrorCode};
use actix_web::dev::Payload;
use actix_web::{error, web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::{ready, Ready};

/// A parsed query string; a parameter of the wrong type or an unknown one is named in the 400.
pub struct Query<T>(pub T);

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(req.query_string().as_bytes()));
        let result: Result<T, _> = serde_path_to_error::deserialize(de);
        ready(result.map(Query).map_err(|err| {
            let path = err.path().to_string();
            let message = err.into_inner().to_string();
            let field = field_of(&path, &message);
            let mut e = AppError::new(ErrorCode::InvalidQuery, format!("{field}: {message}"));
            if !field.is_empty() {
                e = e.with_field(field);
            }
            e
        }))
    }
}

#[must_use]
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: error::PathError, _req: &HttpRequest| {
        AppError::new(ErrorCode::InvalidPath, format!("the path is not valid: {err}")).into()
    })
}
