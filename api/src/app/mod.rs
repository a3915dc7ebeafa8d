//! The use cases, below HTTP: what a request or the worker asks the service to do, written once for both. Handlers
//! extract and parse, call one use case and map its answer to HTTP; the worker calls the same use cases.
//!
//! The arrows point down only: `app` uses `domain`, `infra`, the service's state (`crate::state`) and the content
//! check (`crate::content`), and answers its own error (`app::error`); never `handlers`, `extract`, `idempotency`,
//! `problem` (where an error becomes an HTTP answer), `worker` or actix-web. `tests/tests/house.rs` reads the sources
//! and holds the floor to that.

pub mod accounts;
pub mod ballots;
pub mod bulletins;
pub mod codes;
pub mod deadlines;
pub mod door;
pub mod error;
pub mod gauges;
pub mod issues;
pub mod me;
pub mod notifications;
pub mod notify;
pub mod organisation;
pub mod outbox;
pub mod papers;
pub mod people;
pub mod performance;
pub mod photos;
pub mod projects;
pub mod proposals;
pub mod publication;
pub mod reach;
pub mod reads;
pub mod routing;
pub mod scenes;
pub mod sign_in;
pub mod stations;
pub mod stats;
pub mod templates;
pub mod topics;
pub mod voters;

use error::{AppError, AppResult};
use infra::db::{AsyncConnection, DbError, PgConn};
pub use scoped_futures::{ScopedBoxFuture, ScopedFutureExt};
use std::future::Future;

pub use door::Caller;

/// An answer kept with the command that made it, in the command's own transaction: over HTTP, under the request's
/// `Idempotency-Key`, so that a retry after a lost answer replays it and never runs the command twice.
pub trait Kept {
    /// Stores the answer; an answer with nothing to keep it under does nothing.
    fn keep(&self, conn: &mut PgConn) -> impl Future<Output = Result<(), DbError>> + Send;
}

/// How every command outside the issue loop writes: `work` in one transaction, and the caller's answer — made by
/// `answer` from what the work did — kept in that same transaction, so that the command happens wholly or not at all
/// and a retry after a lost answer replays it instead of doing it twice. The work is written
/// `|conn| async move { … }.scope_boxed()`: a boxed future that may borrow what the use case holds.
///
/// # Errors
/// What `work` or `answer` refuse, or PostgreSQL failing; nothing is written then.
pub async fn commit<'a, T, K>(
    conn: &mut PgConn,
    work: impl for<'r> FnOnce(&'r mut PgConn) -> ScopedBoxFuture<'a, 'r, AppResult<T>> + Send + 'a,
    answer: impl FnOnce(T) -> AppResult<K> + Send + 'a,
) -> AppResult<K>
where
    T: Send + 'a,
    K: Kept + Send + 'a,
{
    conn.transaction(async move |conn| {
        let done = work(conn).await?;
        let answer = answer(done)?;
        answer.keep(conn).await?;
        Ok::<_, AppError>(answer)
    })
    .await
}

/// `commit` for a command outside the `Idempotency-Key` rule (a `PATCH` or `PUT`, idempotent by what it sets; the
/// worker's and operators' commands): the work in one transaction, what it did handed back.
///
/// # Errors
/// What `work` refuses, or PostgreSQL failing; nothing is written then.
pub async fn transaction<'a, T: Send + Sync + 'a>(
    conn: &mut PgConn,
    work: impl for<'r> FnOnce(&'r mut PgConn) -> ScopedBoxFuture<'a, 'r, AppResult<T>> + Send + 'a,
) -> AppResult<T> {
    let Unkept(done) = commit(conn, work, |done| Ok(Unkept(done))).await?;
    Ok(done)
}

/// An answer nobody keeps: what a command did, handed back as it is.
pub struct Unkept<T = ()>(pub T);

impl<T: Sync> Kept for Unkept<T> {
    async fn keep(&self, _conn: &mut PgConn) -> Result<(), DbError> {
        Ok(())
    }
}
