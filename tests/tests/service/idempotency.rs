//! A create command retried with the same Idempotency-Key creates once and answers the same.

use super::issues::sql;
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

/// Makes every write of an answer under an `Idempotency-Key` fail while `answer_fault` says so: the database failing at
/// the moment a command's answer is stored, after the command's own writes.
async fn install_answer_fault(app: &TestApp) {
    for statement in [
        "CREATE TABLE answer_fault (failing boolean NOT NULL)",
        "INSERT INTO answer_fault VALUES (false)",
        "CREATE FUNCTION fail_answers() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF (SELECT failing FROM answer_fault) THEN
                 RAISE EXCEPTION 'the answer could not be stored';
             END IF;
             RETURN NEW;
         END $$",
        "CREATE TRIGGER fail_answers BEFORE UPDATE ON idempotency_keys
         FOR EACH ROW WHEN (NEW.status IS NOT NULL) EXECUTE FUNCTION fail_answers()",
    ] {
        sql(app, statement).await;
    }
}

async fn send(app: &TestApp, token: &str, path: &str, key: &str, body: &Value) -> Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("answers")
}

/// Every command under the rule keeps its answer in its own transaction: when the answer cannot be stored, the command
/// did not happen either (and the client, told 500, retries); once it can, the retry does it once and a further retry
/// replays it. Were the answer stored after the commit, the first try would have created and answered 201, and its
/// retries would find a key with no answer.
#[tokio::test]
async fn a_command_whose_answer_cannot_be_kept_does_not_happen() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    install_answer_fault(&app).await;
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let deputy = app.sign_in("13900000011", DEMO_PASSWORD).await;
    let wang = seed.account("13900000011").expect("seeded");
    let issue = super::issues::report(
        &app,
        &deputy,
        &json!({"description": "路灯不亮，晚上很黑。", "category_code": "streetlight"}),
    )
    .await;
    let issue = issue["id"].as_str().expect("id").to_owned();
    let year = chrono::Utc::now().format("%Y").to_string();
    let commands: Vec<(&str, String, Value, &str, &str)> = vec![
        (
            "a station",
            "/api/v1/stations".to_owned(),
            json!({"region_code": "330281001", "name": "保障测试联络站", "address": "余姚市凤山街道"}),
            "SELECT 1 FROM stations",
            &staff,
        ),
        (
            "a comment",
            format!("/api/v1/issues/{issue}/comments"),
            json!({"body": "请尽快处理。"}),
            "SELECT 1 FROM issue_events WHERE kind = 'comment'",
            &staff,
        ),
        (
            "an issue command",
            format!("/api/v1/issues/{issue}/accept"),
            json!({}),
            "SELECT 1 FROM issue_events WHERE kind = 'accept'",
            &staff,
        ),
        (
            "a performance entry",
            format!("/api/v1/deputies/{wang}/performance/entries"),
            json!({"item": "A1", "points": 2, "source": "补录", "occurred_on": format!("{year}-03-01")}),
            "SELECT 1 FROM performance_entries",
            &staff,
        ),
        (
            "a report",
            "/api/v1/issues".to_owned(),
            json!({"description": "井盖缺失，很危险。", "category_code": "road"}),
            "SELECT 1 FROM issues",
            &deputy,
        ),
    ];
    for (what, path, body, count, token) in commands {
        let key = uuid::Uuid::new_v4().to_string();
        let before = sql(&app, count).await;
        sql(&app, "UPDATE answer_fault SET failing = true").await;
        let res = send(&app, token, &path, &key, &body).await;
        assert_problem(res, 500, "internal_error").await;
        assert_eq!(
            sql(&app, count).await,
            before,
            "{what}: nothing happened without its answer"
        );

        sql(&app, "UPDATE answer_fault SET failing = false").await;
        // The failed claim is let go of in the background; until then the retry is told to wait.
        let mut first = send(&app, token, &path, &key, &body).await;
        for _ in 0..50 {
            if first.status() != 409 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            first = send(&app, token, &path, &key, &body).await;
        }
        let status = first.status();
        assert!(
            status.is_success(),
            "{what}: {status} {}",
            first.text().await.unwrap_or_default()
        );
        let first_body = first.bytes().await.expect("body");
        assert_eq!(sql(&app, count).await, before + 1, "{what} happened once");

        let again = send(&app, token, &path, &key, &body).await;
        assert_eq!(again.status(), status, "{what}");
        assert_eq!(again.headers()["idempotent-replayed"], "true", "{what}");
        assert_eq!(
            again.bytes().await.expect("body"),
            first_body,
            "{what}: the same answer"
        );
        assert_eq!(sql(&app, count).await, before + 1, "{what} still once");
    }
}
