//! The use cases, below HTTP: what a request or the worker asks the service to do, written once for both. Handlers
//! extract and parse, call one use case and map its answer to HTTP; the worker calls the same use cases.
//!
//! The arrows point down only: `app` uses `domain`, `infra`, the service's state (`crate::state`), its errors
//! (`crate::error`) and the content check (`crate::content`); never `handlers`, `extract`, `idempotency`, `worker` or
//! actix-web. `tests/tests/house.rs` reads the sources and holds the floor to that.

pub mod door;
pub mod issues;
pub mod notify;
pub mod papers;
pub mod people;
pub mod photos;
pub mod projects;
pub mod reach;
pub mod routing;
pub mod scenes;
pub mod sign_in;
pub mod stations;
pub mod templates;

use domain::permission::Actor;
use infra::db::{DbError, PgConn};
use std::future::Future;

/// Who asks, as the door found them: the actor, and the version of the reference data their statement read (the
/// process's copy is brought up to it before it judges anything).
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub actor: &'a Actor,
    pub reference_version: i64,
}

/// An answer kept with the command that made it, in the command's own transaction: over HTTP, under the request's
/// `Idempotency-Key`, so that a retry after a lost answer replays it and never runs the command twice.
pub trait Kept {
    /// Stores the answer; an answer with nothing to keep it under does nothing.
    fn keep(&self, conn: &mut PgConn) -> impl Future<Output = Result<(), DbError>> + Send;
}
