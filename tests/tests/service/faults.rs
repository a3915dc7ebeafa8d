//! Faults: PostgreSQL crashing and restarting under a stream of reports, Redis going away and coming back empty, and a
//! thousand concurrent retries of one report. The servers that fail are the tests' own (`servers`), never the
//! shared ones.

use super::issues::{sql, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use super::supervision::{kinds_for, notifications, routed_issue};
use chrono::{DateTime, Utc};
use minsheng_api::worker::supervise;
use minsheng_tests::servers::{PrivatePostgres, PrivateRedis};
use minsheng_tests::{assert_problem, TestApp};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
}

/// What the stream of reports saw.
#[derive(Default)]
struct Seen {
    /// Issues the service answered 201 for, with when.
    acknowledged: Vec<(String, Instant)>,
    /// 503s, every one with Retry-After.
    unavailable: usize,
    /// Reports given up on while their first try was still marked in progress (its outcome unknown to the client).
    in_doubt: usize,
}

/// One client reporting again and again, each report with a key of its own, retried as a good client does: after a
/// 503 or a 409 `request_in_progress`, with the same key.
async fn keep_reporting(app: Arc<TestApp>, token: String, stop: Arc<AtomicBool>, seen: Arc<Mutex<Seen>>) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let key = uuid::Uuid::new_v4().to_string();
        let body = json!({"description": format!("第{n}次：路灯不亮，晚上很黑。"), "category_code": "streetlight"});
        let started = Instant::now();
        loop {
            let res = app
                .client
                .post(app.url("/api/v1/issues"))
                .bearer_auth(&token)
                .header("Idempotency-Key", &key)
                .json(&body)
                .send()
                .await
                .expect("the service answers even while PostgreSQL is down");
            let status = res.status().as_u16();
            let retry_after = res.headers().contains_key("retry-after");
            let text = res.text().await.expect("a body");
            match status {
                201 => {
                    let issue: Value = serde_json::from_str(&text).expect("json");
                    let id = issue["id"].as_str().expect("id").to_owned();
                    seen.lock().expect("lock").acknowledged.push((id, Instant::now()));
                    break;
                }
                503 => {
                    assert!(retry_after, "a 503 says when to retry: {text}");
                    assert!(text.contains("service_unavailable"), "{text}");
                    seen.lock().expect("lock").unavailable += 1;
                }
                409 if text.contains("request_in_progress") => {
                    assert!(retry_after, "{text}");
                }
                other => panic!("a report answered {other} while PostgreSQL restarted: {text}"),
            }
            if started.elapsed() > Duration::from_secs(15) {
                seen.lock().expect("lock").in_doubt += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_reports_survive_a_postgres_crash_and_the_service_recovers_without_a_restart() {
    let pg = Arc::new(
        tokio::task::spawn_blocking(PrivatePostgres::start)
            .await
            .expect("started"),
    );
    infra::db::migrate::run(&secrecy::SecretString::from(pg.url()))
        .await
        .expect("the private database migrates");
    let url = pg.url();
    let app = Arc::new(
        TestApp::spawn_with(|env| {
            env.insert("DATABASE_URL".into(), url);
        })
        .await,
    );
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;

    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let writers: Vec<_> = (0..4)
        .map(|_| tokio::spawn(keep_reporting(app.clone(), deputy.clone(), stop.clone(), seen.clone())))
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let crashing = pg.clone();
    tokio::task::spawn_blocking(move || crashing.crash_and_restart(Duration::from_secs(2)))
        .await
        .expect("restarted");
    let back = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.expect("a writer ends without panicking");
    }

    let seen = std::mem::take(&mut *seen.lock().expect("lock"));
    assert!(seen.unavailable > 0, "clients saw 503 while PostgreSQL was down");
    assert!(
        seen.acknowledged.iter().any(|(_, when)| *when > back),
        "reports are acknowledged again after the restart, without restarting the service"
    );
    let acknowledged: HashSet<&str> = seen.acknowledged.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        acknowledged.len(),
        seen.acknowledged.len(),
        "a retry never made a second issue"
    );
    for id in &acknowledged {
        let res = app.get(&format!("/api/v1/issues/{id}"), &deputy).await;
        assert_eq!(res.status(), 200, "acknowledged issue {id} is there after the crash");
    }
    let stored = sql(&app, "SELECT 1 FROM issues").await;
    assert!(
        stored >= acknowledged.len() && stored <= acknowledged.len() + seen.in_doubt,
        "{stored} issues stored for {} acknowledged and {} in doubt",
        acknowledged.len(),
        seen.in_doubt
    );
    let ready = app.client.get(app.url("/readyz")).send().await.expect("answers");
    assert_eq!(ready.status(), 200);
}

#[tokio::test]
async fn without_redis_the_service_serves_and_when_it_returns_the_schedule_is_rebuilt_and_no_reminder_is_lost() {
    let mut redis = PrivateRedis::start();
    let url = redis.url();
    let app = TestApp::spawn_with(|env| {
        env.insert("REDIS_URL".into(), url);
    })
    .await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    app.state.clock.set(at("2026-11-30T09:00:00+08:00"));
    let before = routed_issue(&app, &deputy, &staff, "停电前").await;
    supervise::rebuild(&app.state).await.expect("the schedule is built");

    redis.stop();

    // Reads and writes that do not need Redis go on: signing in (its attempt limit is skipped), reporting,
    // routing (its schedule entry waits for the rebuild), reading lists and issues.
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let during = routed_issue(&app, &deputy, &staff, "停电中").await;
    let inbox = app.get_json("/api/v1/inbox", &housing).await;
    let listed: Vec<&str> = inbox["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["items"].as_array().into_iter().flatten())
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(
        listed.contains(&before.as_str()) && listed.contains(&during.as_str()),
        "{inbox}"
    );
    app.get_json(&format!("/api/v1/issues/{during}"), &staff).await;
    let ready = app.client.get(app.url("/readyz")).send().await.expect("answers");
    let problem = assert_problem(ready, 503, "service_unavailable").await;
    assert_eq!(problem["errors"][0]["field"], "redis", "{problem}");
    // The worker finds nothing to claim and waits; nothing is acted on twice later.
    assert_eq!(supervise::tick(&app.state).await, 0);

    // Redis comes back empty; both warning moments pass. The worker sees the schedule is gone and rebuilds it from
    // PostgreSQL, and both reminders go out, once.
    redis.resume();
    app.state.clock.set(at("2026-12-01T08:00:00+08:00"));
    let mut rebuilt = None;
    supervise::rebuild_when_needed(&app.state, &mut rebuilt).await;
    assert!(rebuilt.is_some(), "the lost schedule was noticed and rebuilt");
    assert_eq!(supervise::tick(&app.state).await, 2);
    assert_eq!(supervise::tick(&app.state).await, 0);
    let heard = notifications(&app, &housing).await;
    for id in [&before, &during] {
        assert_eq!(kinds_for(&heard, id), ["routed", "warned"], "{id}");
    }
    let ready = app.client.get(app.url("/readyz")).send().await.expect("answers");
    assert_eq!(ready.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_retries_of_one_report_make_exactly_one_issue() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_HTTP_WORKERS".into(), "2".into());
        env.insert("MINSHENG_DATABASE_POOL_SIZE".into(), "8".into());
    })
    .await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let body = json!({"description": "同一条报告，网络不好重发了一千次。", "category_code": "streetlight"});
    let answers = futures_util::future::join_all((0..1000).map(|_| {
        app.client
            .post(app.url("/api/v1/issues"))
            .bearer_auth(&deputy)
            .header("Idempotency-Key", "one-report-many-tries")
            .json(&body)
            .send()
    }))
    .await;
    let mut ids = HashSet::new();
    let mut created = 0;
    for res in answers {
        let res = res.expect("every retry is answered");
        match res.status().as_u16() {
            201 => {
                created += 1;
                let issue: Value = res.json().await.expect("json");
                ids.insert(issue["id"].as_str().expect("id").to_owned());
            }
            409 => {
                assert_problem(res, 409, "request_in_progress").await;
            }
            other => panic!("a retry answered {other}: {}", res.text().await.unwrap_or_default()),
        }
    }
    assert!(created >= 1);
    assert_eq!(ids.len(), 1, "every 201 names the same issue");
    assert_eq!(sql(&app, "SELECT 1 FROM issues").await, 1, "exactly one issue was made");
    // Once answered, a late retry replays the answer.
    let late = app
        .client
        .post(app.url("/api/v1/issues"))
        .bearer_auth(&deputy)
        .header("Idempotency-Key", "one-report-many-tries")
        .json(&body)
        .send()
        .await
        .expect("answers");
    assert_eq!(late.status(), 201);
    assert_eq!(
        late.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()),
        Some("true")
    );
    let late: Value = late.json().await.expect("json");
    assert!(ids.contains(late["id"].as_str().expect("id")));
}
