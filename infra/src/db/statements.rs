//! Statements, counted and kept prepared.
//!
//! **Counted**: every connection the pool opens reports each statement it sends (BEGIN and COMMIT included) to the
//! unit of work running it — an HTTP request, a worker step — when that work runs inside [`counted`]. The count is
//! what `/metrics` shows as `db_statements_per_request`: the trips a request costs, visible to anyone.
//!
//! **Prepared once**: diesel keeps a prepared statement per connection only for queries it can prove produce one
//! SQL text, which leaves out `sql_query`, UPDATEs, inserts with optional fields and upserts. diesel-async then
//! prepares, runs and closes each of those on every call: extra waited round trips and a fresh plan each time.
//! [`Cached`] marks a query whose SQL takes a small, fixed set of texts, so the connection's SQL-keyed cache keeps it.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::QueryResult;
use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static STATEMENTS: Cell<u32>;
    static UNLOGGED: ();
}

/// Runs `work` with its statements kept out of the log (`minsheng::sql`) at every level: a secret ballot's paper,
/// whose statement and time beside a check-in's would say whose it is.
pub async fn unlogged<F: Future>(work: F) -> F::Output {
    UNLOGGED.scope((), work).await
}

/// Runs `work`, answering its output and how many statements it sent. Statements sent by tasks it spawns are not
/// its own and are not counted.
pub async fn counted<F: Future>(work: F) -> (F::Output, u32) {
    STATEMENTS
        .scope(Cell::new(0), async {
            let out = work.await;
            (out, STATEMENTS.with(Cell::get))
        })
        .await
}

/// The instrumentation every pooled connection carries: it adds one to the running unit of work's count per
/// statement started. Outside [`counted`] it does nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct CountStatements;

impl Instrumentation for CountStatements {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            // The text only: bound values hold phone numbers and tokens, which never reach the log.
            if tracing::enabled!(target: "minsheng::sql", tracing::Level::TRACE) && UNLOGGED.try_with(|()| ()).is_err()
            {
                let text = query.to_string();
                let sql = text.split(" -- binds:").next().unwrap_or_default();
                tracing::trace!(target: "minsheng::sql", sql, "statement");
            }
            // Outside a counted unit of work (start-up, migrations) there is nothing to add to.
            let _ = STATEMENTS.try_with(|n| n.set(n.get().saturating_add(1)));
        }
    }
}

/// A query whose SQL is one of a few fixed texts (a `sql_query` with a constant text, an UPDATE of fixed columns, an
/// upsert), which the connection may therefore keep prepared, keyed by its SQL and bind types.
///
/// Do not wrap a query whose text grows with its input (`IN` lists, multi-row inserts of any length): each length
/// would be a statement kept for the connection's lifetime. Nor one whose best plan depends on its values (a `LIKE`
/// prefix, a filter on a rare status): after five executions PostgreSQL may keep a generic plan for a prepared
/// statement, and a generic plan for a list can walk the whole table. Lookups by key and writes are what this is for.
#[derive(Debug, Clone, Copy)]
pub struct Cached<Q>(pub Q);

/// `.cached()` on any query.
pub trait Cache: Sized {
    /// Lets the connection keep this query prepared (see [`Cached`]).
    fn cached(self) -> Cached<Self> {
        Cached(self)
    }
}

impl<Q> Cache for Q {}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Cached<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    // The one point of this type: diesel asks this before choosing between its cache and a one-off statement.
    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

// No static id: the cache keys the statement by its SQL text and bind types.
impl<Q> QueryId for Cached<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Cached<Q> {
    type SqlType = Q::SqlType;
}
