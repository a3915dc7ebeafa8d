use minsheng_tests::servers::PrivateRedis;
use minsheng_tests::{assert_problem, TestApp};
use serde_json::Value;
use std::net::TcpListener;

#[tokio::test]
async fn health_and_readiness_answer_when_everything_is_up() {
    let app = TestApp::spawn().await;
    let health = app.client.get(app.url("/healthz")).send().await.expect("answers");
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.expect("answers");
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.expect("json");
    assert_eq!(body["status"], "ready");
    assert_eq!(body["postgres"], "ok");
    assert_eq!(body["redis"], "ok");
}

#[tokio::test]
async fn readiness_names_redis_when_it_stops_while_health_stays_up() {
    let mut redis = PrivateRedis::start();
    let url = redis.url();
    let app = TestApp::spawn_with(|env| {
        env.insert("REDIS_URL".into(), url);
    })
    .await;
    let ready = app.client.get(app.url("/readyz")).send().await.expect("answers");
    assert_eq!(ready.status(), 200, "ready while the private Redis runs");

    redis.stop();

    let ready = app.client.get(app.url("/readyz")).send().await.expect("answers");
    assert!(ready.headers().contains_key("retry-after"));
    let problem = assert_problem(ready, 503, "service_unavailable").await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Redis") && !d.contains("PostgreSQL")),
        "{problem}"
    );
    assert_eq!(problem["errors"][0]["field"], "redis");
    let health = app.client.get(app.url("/healthz")).send().await.expect("answers");
    assert_eq!(health.status(), 200, "the process itself is still up");
}

#[tokio::test]
async fn readiness_names_postgres_when_it_cannot_be_reached() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let app = TestApp::spawn_with(|env| {
        env.insert(
            "DATABASE_URL".into(),
            format!("postgres://postgres@127.0.0.1:{closed}/nothing"),
        );
    })
    .await;
    let ready = app.client.get(app.url("/readyz")).send().await.expect("answers");
    let problem = assert_problem(ready, 503, "service_unavailable").await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("PostgreSQL") && !d.contains("Redis")),
        "{problem}"
    );
    // A request that needs the database says so with 503 and Retry-After, not 500.
    let res = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/password",
            None,
            Some(&serde_json::json!({"phone": "13900000001", "password": "whatever-123"})),
        )
        .await;
    assert_eq!(
        res.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("2")
    );
    assert_problem(res, 503, "service_unavailable").await;
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        app.client.get(app.url("/healthz")).send().await.expect("answers");
    }
    app.client
        .get(app.url("/api/v1/regions/330281"))
        .send()
        .await
        .expect("answers");
    let text = app.metrics().await;
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/healthz",status="200"} 3"#),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/api/v1/regions/{code}",status="401""#),
        "routes are labelled by pattern: {text}"
    );
    assert!(text.contains("http_request_duration_seconds_bucket{"), "{text}");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_a_sane_one_it_was_given() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/healthz")).send().await.expect("answers");
    let made = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("a request id")
        .to_owned();
    assert!(uuid::Uuid::parse_str(&made).is_ok());
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "client-42")
        .send()
        .await
        .expect("answers");
    assert_eq!(
        res.headers().get("x-request-id").and_then(|v| v.to_str().ok()),
        Some("client-42")
    );
    let res = app
        .client
        .get(app.url("/nope"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .expect("answers");
    let id = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("a request id");
    assert_ne!(id, "bad id with spaces");
}
