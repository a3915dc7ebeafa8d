//! Request extractors that answer bad input with problem documents.

pub mod auth;
pub mod json;
pub mod params;

pub use auth::{AuthUser, Reader};
pub use json::Json;
pub use params::Query;
