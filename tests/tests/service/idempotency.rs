//! A create command retried with the same Idempotency-Key creates once and answers the same.

use diesel_async::RunQueryDsl;
use minsheng_tests::{assert_problem, TestApp, DEMO_PASSWORD};
use reqwest::Response;
use serde_json::{json, Value};
use std::time::Duration;

async fn create_station(app: &TestApp, token: &str, key: &str, name: &str) -> Response {
    app.client
        .post(app.url("/api/v1/stations"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&json!({"region_code": "330281001", "name": name, "address": "余姚市凤山街道"}))
        .send()
        .await
        .expect("answers")
}

async fn stations_named(app: &TestApp, token: &str, name: &str) -> usize {
    let list = app.get_json("/api/v1/stations?region=330281001&limit=100", token).await;
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|s| s["name"] == name)
        .count()
}

#[tokio::test]
async fn a_retried_create_answers_the_first_answer_and_creates_once() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let first = create_station(&app, &staff, "key-1", "新站").await;
    assert_eq!(first.status(), 201);
    let location = first.headers().get("location").cloned();
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.expect("json");

    let retry = create_station(&app, &staff, "key-1", "新站").await;
    assert_eq!(retry.status(), 201);
    assert_eq!(
        retry.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_eq!(retry.headers().get("location").cloned(), location);
    assert_eq!(
        retry.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let retry: Value = retry.json().await.expect("json");
    assert_eq!(retry, first);
    assert_eq!(stations_named(&app, &staff, "新站").await, 1);

    // Without a key, the same body is a new command: here the unique name refuses it.
    let res = app
        .post(
            "/api/v1/stations",
            &staff,
            &json!({"region_code": "330281001", "name": "新站", "address": "余姚市凤山街道"}),
        )
        .await;
    assert_problem(res, 409, "already_exists").await;
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    assert_eq!(create_station(&app, &staff, "key-2", "甲站").await.status(), 201);
    let problem = assert_problem(
        create_station(&app, &staff, "key-2", "乙站").await,
        422,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(problem["field"], "Idempotency-Key");
    assert_eq!(stations_named(&app, &staff, "乙站").await, 0);
}

#[tokio::test]
async fn keys_belong_to_the_account_that_sent_them() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let county = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let township = app.sign_in("13900000002", DEMO_PASSWORD).await;
    assert_eq!(
        create_station(&app, &county, "shared-key", "县里的站").await.status(),
        201
    );
    let other = create_station(&app, &township, "shared-key", "街道的站").await;
    assert_eq!(other.status(), 201);
    assert!(other.headers().get("idempotent-replayed").is_none());
}

#[tokio::test]
async fn a_refused_first_attempt_is_answered_the_same_on_retry() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let body = json!({"region_code": "330206001", "name": "越界站", "address": "北仑"});
    let send = || {
        app.client
            .post(app.url("/api/v1/stations"))
            .bearer_auth(&staff)
            .header("Idempotency-Key", "key-3")
            .json(&body)
            .send()
    };
    let first = send().await.expect("answers");
    assert_problem(first, 404, "not_found").await;
    let retry = send().await.expect("answers");
    assert_eq!(
        retry.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_problem(retry, 404, "not_found").await;
}

#[tokio::test]
async fn concurrent_retries_with_one_key_create_exactly_once() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let answers =
        futures_util::future::join_all((0..12).map(|_| create_station(&app, &staff, "key-burst", "并发站"))).await;
    let mut ids = std::collections::HashSet::new();
    for res in answers {
        match res.status().as_u16() {
            201 => {
                let body: Value = res.json().await.expect("json");
                ids.insert(body["id"].as_str().expect("id").to_owned());
            }
            409 => {
                assert!(res.headers().contains_key("retry-after"));
                assert_problem(res, 409, "request_in_progress").await;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(ids.len(), 1, "every 201 names the same station");
    assert_eq!(stations_named(&app, &staff, "并发站").await, 1);
}

#[tokio::test]
async fn a_malformed_key_is_a_400() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let long = "k".repeat(256);
    let problem = assert_problem(
        create_station(&app, &staff, &long, "长键站").await,
        400,
        "invalid_header",
    )
    .await;
    assert_eq!(problem["field"], "Idempotency-Key");
    assert_eq!(stations_named(&app, &staff, "长键站").await, 0);
}

#[tokio::test]
async fn the_worker_forgets_keys_after_a_day() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    assert_eq!(create_station(&app, &staff, "old-key", "旧站").await.status(), 201);
    assert_eq!(create_station(&app, &staff, "new-key", "新站").await.status(), 201);
    let mut conn = infra::db::pool::conn(&app.state.db).await.expect("db");
    diesel::sql_query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'")
        .execute(&mut conn)
        .await
        .expect("ages the key");

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(minsheng_api::worker::run(app.state.clone(), stopped));
    let count = |key: &'static str| {
        let pool = app.state.db.clone();
        async move {
            let mut conn = infra::db::pool::conn(&pool).await.expect("db");
            diesel::sql_query(format!("SELECT 1 FROM idempotency_keys WHERE key = '{key}'"))
                .execute(&mut conn)
                .await
                .expect("counts")
        }
    };
    let mut forgotten = false;
    for _ in 0..50 {
        if count("old-key").await == 0 {
            forgotten = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).expect("worker listens");
    worker.await.expect("worker stops");
    assert!(forgotten, "the day-old key is purged");
    assert_eq!(count("new-key").await, 1, "the fresh key stays");
}
