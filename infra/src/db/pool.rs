use super::DbError;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::AsyncPgConnection;
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

pub type DbPool = Pool<AsyncPgConnection>;
/// A pool's size, idle connections and waiting requests, for the operator's gauges.
pub use deadpool::Status as PoolStatus;
/// A connection borrowed from the pool; `&mut *conn` is an `AsyncPgConnection`.
pub type Conn = Object<AsyncPgConnection>;

/// Builds the pool. Connections are opened on demand, so a database that is down at start-up
/// makes requests answer 503 instead of stopping the service.
///
/// # Errors
/// When the pool cannot be configured (never for a valid URL).
pub fn build(url: &SecretString, size: usize) -> anyhow::Result<DbPool> {
    // No test query on every checkout (a round trip per request): a connection whose server went away is closed,
    // and the pool drops closed connections (`is_broken`); one that breaks under a query is a 503 and then closed.
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(|url| Box::pin(establish(url)));
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url.expose_secret(), config);
    let pool = Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(Duration::from_secs(5)))
        .create_timeout(Some(Duration::from_secs(5)))
        .recycle_timeout(Some(Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?;
    Ok(pool)
}

/// Opens a connection set up for short queries: no JIT compilation, which PostgreSQL starts for any query it costs
/// above `jit_above_cost` and which then takes longer than the query itself (100–400 ms on list queries over a
/// million issues, measured by `scripts/bench http`). Each of its statements is counted for the request that sends it.
async fn establish(url: &str) -> diesel::ConnectionResult<AsyncPgConnection> {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut conn = AsyncPgConnection::establish(url).await?;
    conn.set_instrumentation(super::statements::CountStatements);
    diesel::sql_query("SET jit = off")
        .execute(&mut conn)
        .await
        .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
    Ok(conn)
}

/// Borrows a connection, or says the database is unavailable.
///
/// # Errors
/// `DbError::Unavailable` when none can be had within the wait timeout.
pub async fn conn(pool: &DbPool) -> Result<Conn, DbError> {
    Ok(pool.get().await?)
}

/// Does the database answer a trivial query?
///
/// # Errors
/// The reason it does not.
pub async fn ping(pool: &DbPool) -> Result<(), DbError> {
    use diesel_async::RunQueryDsl;
    let mut c = conn(pool).await?;
    diesel::sql_query("SELECT 1").execute(&mut *c).await?;
    Ok(())
}
