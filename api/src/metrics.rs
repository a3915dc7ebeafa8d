//! Prometheus metrics: request counts and latencies by route pattern and status, and the PostgreSQL statements each
//! request sent.

use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder};

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    statements: HistogramVec,
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
        Ok(Self {
            registry,
            requests,
            latency,
            statements,
        })
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

    /// The Prometheus text exposition.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        if TextEncoder::new().encode(&self.registry.gather(), &mut out).is_err() {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }
}
