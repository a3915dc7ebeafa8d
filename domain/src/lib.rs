//! The rules of minsheng, free of I/O: values parsed at the boundary, the organisation model and who may do what.
//!
//! Nothing here reads a clock, a socket or a database; callers pass in what the rules need.

pub mod ballot;
pub mod coordinates;
pub mod error;
pub mod fraction;
pub mod idempotency;
pub mod identity;
pub mod issue;
pub mod organisation;
pub mod page;
pub mod performance;
pub mod permission;
pub mod project;
pub mod proposal;
pub mod publication;
pub mod role;
pub mod routing;
pub mod saved_filter;
pub mod scale;
pub mod stats;
pub mod template;
pub mod text;
pub mod words;

pub use error::{Denied, Invalid};
