//! Liveness, readiness and metrics: what orchestrators and Prometheus ask.

pub mod healthz;
pub mod metrics;
pub mod readyz;
