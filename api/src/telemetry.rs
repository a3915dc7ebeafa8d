//! Logs as JSON lines (or readable text for development), filtered by `RUST_LOG`.
//!
//! Whatever `RUST_LOG` says, the database driver stays at `info`: at `debug` tokio-postgres logs every statement's
//! bind parameters, which are phone numbers, openids and password hashes (diesel sends them as bytes, so they do
//! not even look like personal data in the log). Nothing an operator can set turns that back on. The HTTP server's own
//! crates stay at `info` too: below it they log each request's path as it arrives, and the one request whose moment
//! must never reach the log — a ballot paper (`middleware::observe`) — would be there beside its deputy's check-in.

use infra::config::LogFormat;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// Targets that log what requests carry (bind parameters, protocol messages, request lines) below `info`, held at
/// `info`.
const CARRY_PERSONAL_DATA: [&str; 6] = [
    "tokio_postgres",
    "postgres_protocol",
    "diesel_async",
    "actix_http",
    "actix_web",
    "actix_server",
];

fn personal_data_stays_out() -> Targets {
    CARRY_PERSONAL_DATA
        .iter()
        .fold(Targets::new().with_default(LevelFilter::TRACE), |t, target| {
            t.with_target(*target, LevelFilter::INFO)
        })
}

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(personal_data_stays_out());
    // A second init (tests start many apps in one process) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(std::io::stderr),
            )
            .try_init(),
        LogFormat::Pretty => registry.with(fmt::layer().with_writer(std::io::stderr)).try_init(),
    };
}
