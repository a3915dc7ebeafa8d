//! Seek pagination over HTTP: `?limit=&cursor=` in, `{items, next_cursor}` out. The cursor is opaque to clients
//! (base64url of the last sort key) so the sort key can change without breaking them.

use crate::app::error::{AppError, ErrorCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::page::{split_page, Limit};
use serde::Serialize;
use utoipa::ToSchema;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The page size.
///
/// # Errors
/// 400 on `limit` outside 1–100.
pub fn limit(raw: Option<i64>) -> Result<Limit, AppError> {
    Limit::parse(raw)
        .map_err(|e| AppError::new(ErrorCode::InvalidQuery, format!("limit {}", e.message)).with_field("limit"))
}

/// The sort key a cursor carries.
///
/// # Errors
/// 400 on `cursor` when it was not made by this service.
pub fn decode_cursor(cursor: Option<&str>) -> Result<Option<String>, AppError> {
    let bad = || AppError::new(ErrorCode::InvalidQuery, "cursor is not one this service gave out").with_field("cursor");
    cursor
        .map(|c| {
            URL_SAFE_NO_PAD
                .decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(bad)
        })
        .transpose()
}

/// A cursor whose key must be a UUID.
///
/// # Errors
/// 400 on `cursor` when it does not carry one.
pub fn decode_uuid_cursor(cursor: Option<&str>) -> Result<Option<uuid::Uuid>, AppError> {
    decode_cursor(cursor)?
        .map(|k| {
            k.parse().map_err(|_| {
                AppError::new(ErrorCode::InvalidQuery, "cursor is not one this service gave out").with_field("cursor")
            })
        })
        .transpose()
}

/// Cuts a probe of `limit + 1` rows to a page of views, with the cursor after its last row.
pub fn page<R, T: ToSchema>(rows: Vec<R>, limit: Limit, key: impl Fn(&R) -> String, view: impl Fn(R) -> T) -> Page<T> {
    let (rows, more) = split_page(rows, limit);
    let next_cursor = if more {
        rows.last().map(|r| URL_SAFE_NO_PAD.encode(key(r)))
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(view).collect(),
        next_cursor,
    }
}

/// As [`page`], for views that can fail to be made (a stored value the domain no longer reads).
///
/// # Errors
/// The first view that fails.
pub fn try_page<R, T: ToSchema, E>(
    rows: Vec<R>,
    limit: Limit,
    key: impl Fn(&R) -> String,
    view: impl Fn(R) -> Result<T, E>,
) -> Result<Page<T>, E> {
    let (rows, more) = split_page(rows, limit);
    let next_cursor = if more {
        rows.last().map(|r| URL_SAFE_NO_PAD.encode(key(r)))
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(view).collect::<Result<_, _>>()?,
        next_cursor,
    })
}
