//! A JSON body extractor that names the field at fault (`location.latitude`) and enforces the body limit
//! before reading further than it.

use crate::app::error::{AppError, ErrorCode};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// The configured largest body, in bytes; put in app data at start-up.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A parsed JSON body.
pub struct Json<T>(pub T);

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<web::Data<BodyLimit>>().map_or(64 * 1024, |l| l.0);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            let is_json = content_type.as_deref().is_some_and(|ct| {
                let essence = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            });
            if !is_json {
                return Err(
                    AppError::new(ErrorCode::UnsupportedMediaType, "send the body as application/json")
                        .with_field("Content-Type"),
                );
            }
            if declared_length.is_some_and(|n| n > limit) {
                return Err(too_large(limit));
            }
            let body = read_limited(&mut payload, limit).await?;
            parse(&body).map(Json)
        })
    }
}

/// Reads a whole body, refusing it (413) as soon as it grows past `limit`, so memory stays bounded.
pub(crate) async fn read_limited(payload: &mut Payload, limit: usize) -> Result<web::Bytes, AppError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| AppError::new(ErrorCode::InvalidBody, format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn too_large(limit: usize) -> AppError {
    AppError::new(
        ErrorCode::PayloadTooLarge,
        format!("the body is larger than {limit} bytes"),
    )
}

/// Parses `body`, telling malformed JSON (400 `invalid_json`) from JSON of the wrong shape (400 `invalid_body`, with the field).
///
/// Every body this API takes is a JSON object, and so is every object inside one; serde would also fill a struct from
/// an array of its fields in order (`["13900000001","…"]` as a sign-in, `"location": [30, 121]`), which the spec does
/// not allow and nobody means, so the text is read first and then deserialised through `Objects`, which refuses that.
/// (serde_json stops nesting past 128 levels while reading, so `Objects` recurses no deeper.)
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        if body.iter().all(u8::is_ascii_whitespace) {
            AppError::new(ErrorCode::InvalidJson, "the body is empty; send a JSON object")
        } else {
            AppError::new(ErrorCode::InvalidJson, format!("the body is not valid JSON: {err}"))
        }
    })?;
    if !value.is_object() {
        return Err(AppError::new(ErrorCode::InvalidBody, "the body must be a JSON object"));
    }
    serde_path_to_error::deserialize(Objects(&value)).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = field_of(&path, &message);
        let detail = strip_position(&message);
        let mut e = AppError::new(ErrorCode::InvalidBody, format!("{field}: {detail}"));
        if !field.is_empty() {
            e = e.with_field(field);
        }
        e
    })
}

/// A parsed JSON value read as the API's types are: like serde_json's own `&Value`, but a struct is never filled from
/// an array, at any depth.
#[derive(Clone, Copy)]
struct Objects<'a>(&'a Value);

impl<'de> IntoDeserializer<'de, serde_json::Error> for Objects<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Objects<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(Objects));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(map) => {
                let mut entries = MapDeserializer::new(map.iter().map(|(k, v)| (k.as_str(), Objects(v))));
                let value = visitor.visit_map(&mut entries)?;
                entries.end()?;
                Ok(value)
            }
            scalar => scalar.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if self.0.is_array() {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &"a JSON object"));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.0.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq
        tuple tuple_struct map identifier ignored_any
    }
}

/// The path serde_path_to_error reports already ends at an unknown field, but stops at the object that lacks a
/// missing one; serde names that field only in its message.
pub(crate) fn field_of(path: &str, message: &str) -> String {
    let base = if path == "." { "" } else { path };
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    match missing {
        Some(name) if base.is_empty() => name.to_owned(),
        Some(name) => format!("{base}.{name}"),
        None => base.to_owned(),
    }
}

fn strip_position(message: &str) -> &str {
    message.rsplit_once(" at line ").map_or(message, |(m, _)| m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Point {
        latitude: f64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        location: Option<Point>,
    }

    fn field(body: &str) -> (ErrorCode, Option<String>) {
        let e = parse::<Body>(body.as_bytes()).expect_err("should fail");
        (e.code, e.field)
    }

    #[test]
    fn names_the_field_at_fault() {
        assert_eq!(field(r#"{"name": 3}"#), (ErrorCode::InvalidBody, Some("name".into())));
        assert_eq!(
            field(r#"{"name": "a", "location": {"latitude": "x"}}"#),
            (ErrorCode::InvalidBody, Some("location.latitude".into()))
        );
        assert_eq!(
            field(r#"{"name": "a", "colour": 1}"#),
            (ErrorCode::InvalidBody, Some("colour".into()))
        );
        assert_eq!(
            field(r#"{"name": "a", "location": {"latitude": 1, "x": 2}}"#),
            (ErrorCode::InvalidBody, Some("location.x".into()))
        );
        assert_eq!(field(r"{}"), (ErrorCode::InvalidBody, Some("name".into())));
        assert_eq!(
            field(r#"{"name": "a", "location": {}}"#),
            (ErrorCode::InvalidBody, Some("location.latitude".into()))
        );
        assert_eq!(field(r#"{"name": "#).0, ErrorCode::InvalidJson);
        assert_eq!(field("").0, ErrorCode::InvalidJson);
        assert_eq!(field(r#" ["a", null]"#), (ErrorCode::InvalidBody, None));
        assert_eq!(
            field(r#"{"name": "a", "location": [30.1]}"#),
            (ErrorCode::InvalidBody, Some("location".into())),
            "an object inside is an object too"
        );
        let ok = parse::<Body>(r#"{"name": "a", "location": {"latitude": 30.1}}"#.as_bytes());
        assert!(ok.is_ok(), "objects, options and numbers read as before");
        assert!(parse::<Body>(br#"{"name": "a", "location": null}"#).is_ok());
    }
}
