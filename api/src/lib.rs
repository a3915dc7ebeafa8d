//! The minsheng HTTP API, its worker and its operator commands.

pub mod app;
pub mod auth;
pub mod console;
pub mod content;
pub mod counters;
pub mod extract;
pub mod handlers;
pub mod headers;
pub mod idempotency;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod page;
pub mod problem;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod worker;
pub mod write_limit;
pub mod xlsx;
