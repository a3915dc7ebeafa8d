//! Prometheus metrics: request counts and latencies by route pattern and status, the PostgreSQL statements each
//! request sent, and the gauges an operator scales on (`Gauges`, read when scraped): the deadline schedule's size and
//! lag, the outbox's backlog and dead letters, every process's connection pools (its own, and each live worker's as
//! its last beat reported them), and the read replica's lag — as `app::gauges` reads them.

use prometheus::{Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder};
use std::sync::OnceLock;

/// The gauges: name, help, labels (as `app::gauges::Gauges::values` fills them).
const GAUGES: &[(&str, &str, &[&str])] = &[
    (
        "minsheng_schedule_entries",
        "Deadline steps on the Redis schedule: waiting (due) or claimed by a worker",
        &["state"],
    ),
    (
        "minsheng_schedule_lag_seconds",
        "How long the earliest waiting deadline step has been due (0: none overdue)",
        &[],
    ),
    (
        "minsheng_outbox_messages",
        "Outbox messages waiting to be delivered (pending) and given up on (dead)",
        &["status"],
    ),
    (
        "minsheng_outbox_oldest_pending_seconds",
        "Age of the oldest message waiting to be delivered",
        &[],
    ),
    (
        "minsheng_db_pool_connections",
        "PostgreSQL connections of each process's pools: max, open, idle, in_use, and requests waiting for one",
        &["role", "instance", "pool", "state"],
    ),
    (
        "minsheng_db_replica_lag_seconds",
        "How far the read replica is behind (-1: beyond its bound or unknown)",
        &[],
    ),
];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    statements: HistogramVec,
    /// The operator's gauges by name, set afresh at every scrape.
    gauges: Vec<(&'static str, GaugeVec)>,
    /// What this process runs: `serve`, `serve+worker` or `worker`.
    role: OnceLock<&'static str>,
    /// This process, among the deployment's others (its worker beats under the same id).
    instance: uuid::Uuid,
}

impl Metrics {
    /// # Errors
    /// Only if two metrics share a name, which is a programming error.
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new();
        let labels = ["method", "route", "status"];
        let requests = IntCounterVec::new(Opts::new("http_requests_total", "HTTP requests answered"), &labels)?;
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer an HTTP request").buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &labels,
        )?;
        // By method and route only: what a request costs in trips does not depend on how it was answered.
        let statements = HistogramVec::new(
            HistogramOpts::new(
                "db_statements_per_request",
                "PostgreSQL statements one HTTP request sent (BEGIN and COMMIT included)",
            )
            .buckets(
                (0..=20)
                    .map(f64::from)
                    .chain([25.0, 30.0, 40.0, 50.0, 75.0, 100.0])
                    .collect(),
            ),
            &["method", "route"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(statements.clone()))?;
        let mut gauges = Vec::new();
        for (name, help, labels) in GAUGES {
            let gauge = GaugeVec::new(Opts::new(*name, *help), labels)?;
            registry.register(Box::new(gauge.clone()))?;
            gauges.push((*name, gauge));
        }
        Ok(Self {
            registry,
            requests,
            latency,
            statements,
            gauges,
            role: OnceLock::new(),
            instance: uuid::Uuid::now_v7(),
        })
    }

    /// Names what this process runs, once, at start-up.
    pub fn set_role(&self, role: &'static str) {
        let _ = self.role.set(role);
    }

    #[must_use]
    pub fn instance(&self) -> uuid::Uuid {
        self.instance
    }

    #[must_use]
    pub fn role(&self) -> &'static str {
        self.role.get().copied().unwrap_or("serve+worker")
    }

    /// Records one answered request. `route` is the matched pattern (`/api/v1/regions/{code}`), never the raw path,
    /// so label values stay few.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64, statements: u32) {
        let status = status.to_string();
        let labels = [method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
        self.statements
            .with_label_values(&[method, route])
            .observe(f64::from(statements));
    }

    /// The Prometheus text exposition, with the gauges' values as just read (name, label values, value: what
    /// `app::gauges::Gauges::values` gives).
    #[must_use]
    pub fn render(&self, gauges: &[(&'static str, Vec<String>, f64)]) -> String {
        // Reset first: a value that could not be read this time is absent rather than stale.
        for (_, gauge) in &self.gauges {
            gauge.reset();
        }
        for (name, labels, value) in gauges {
            if let Some((_, gauge)) = self.gauges.iter().find(|(n, _)| n == name) {
                let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                gauge.with_label_values(&labels).set(*value);
            }
        }
        let mut out = Vec::new();
        if TextEncoder::new().encode(&self.registry.gather(), &mut out).is_err() {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }
}
