//! Hostile input meets limits: a 50 MB body (JSON or photo) is refused without being held in memory, deep JSON is a
//! 400, list sizes are bounded, and an account sending too many changes is slowed down with 429 — each a clear 4xx.

use super::issues::{LI_DEPUTY, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use minsheng_tests::{assert_problem, TestApp};
use serde_json::json;

const FIFTY_MB: usize = 50 * 1024 * 1024;

/// The resident memory of this process (the service runs in it), in bytes.
fn resident() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kb: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    kb * 1024
}

/// 50 MB sent in 64 KB chunks that are made as they are sent, so the client holds none of it.
fn fifty_megabytes(first: &'static [u8]) -> reqwest::Body {
    const CHUNK: usize = 64 * 1024;
    let stream = futures_util::stream::iter(
        std::iter::once(first.to_vec())
            .chain((0..FIFTY_MB / CHUNK).map(|_| vec![b'7'; CHUNK]))
            .map(Ok::<_, std::io::Error>),
    );
    reqwest::Body::wrap_stream(stream)
}

/// Sends 50 MB; answers whether the service said 413. It may close the connection before the client has finished
/// sending (it does not read what it refuses), and a client that is still sending then sees the close instead.
async fn send_fifty(app: &TestApp, token: &str, path: &str, headers: &[(&str, &str)], first: &'static [u8]) -> bool {
    let mut req = app.client.post(app.url(path)).bearer_auth(token);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    match req.body(fifty_megabytes(first)).send().await {
        Ok(res) => {
            assert_problem(res, 413, "payload_too_large").await;
            true
        }
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_fifty_megabyte_body_is_refused_with_413_without_being_held() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_PHOTO_MAX_BYTES".into(), (4 * 1024 * 1024).to_string());
    })
    .await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let before = resident();
    let json = [("content-type", "application/json")];
    let announced = [("content-type", "application/json"), ("content-length", "52428800")];
    let keyed = [
        ("content-type", "application/json"),
        ("idempotency-key", "fifty-megabytes"),
    ];
    let photo = [("content-type", "multipart/form-data; boundary=xyz")];
    let part = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff";
    let answered = [
        // Announced: refused on the Content-Length alone.
        send_fifty(&app, &deputy, "/api/v1/issues", &announced, b"").await,
        // Not announced (chunked): refused once the limit is passed; also with an Idempotency-Key, which reads the
        // body before the handler does.
        send_fifty(&app, &deputy, "/api/v1/issues", &json, b"{\"description\": \"").await,
        send_fifty(&app, &deputy, "/api/v1/issues", &keyed, b"{\"description\": \"").await,
        // A photo of 50 MB, over MINSHENG_PHOTO_MAX_BYTES.
        send_fifty(&app, &deputy, "/api/v1/photos", &photo, part).await,
    ];
    eprintln!("answered 413 before the connection closed: {answered:?}");
    assert!(answered.iter().any(|a| *a), "the service says 413, not only closes");
    let grown = resident().saturating_sub(before);
    // At most the photo limit (4 MB, read before it is refused) and the allocator's slack: nothing near 50 MB.
    eprintln!("resident memory grew by {} KB", grown / 1024);
    assert!(
        grown < 16 * 1024 * 1024,
        "memory grew by {grown} bytes for 150 MB refused"
    );
    // Nothing was half-written, and the service answers as before.
    let mine = app.get_json("/api/v1/issues", &deputy).await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(0));
    let res = app.client.get(app.url("/readyz")).send().await.expect("answers");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn deep_json_is_a_400_and_list_sizes_are_bounded() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    // Typed bodies stop at the first value of the wrong shape; serde_json stops any nesting past 128 levels.
    for deep in [
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!("{{\"description\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000)),
        format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)),
    ] {
        let res = app
            .client
            .post(app.url("/api/v1/issues"))
            .bearer_auth(&staff)
            .header("content-type", "application/json")
            .body(deep)
            .send()
            .await
            .expect("answers");
        assert_eq!(res.status(), 400);
        let problem: serde_json::Value = res.json().await.expect("a problem document");
        assert!(
            ["invalid_json", "invalid_body"].contains(&problem["code"].as_str().unwrap_or_default()),
            "{problem}"
        );
    }
    for path in [
        "/api/v1/issues",
        "/api/v1/users",
        "/api/v1/stations",
        "/api/v1/notifications",
    ] {
        for limit in ["0", "101", "100000000000"] {
            let res = app.get(&format!("{path}?limit={limit}"), &staff).await;
            let problem = assert_problem(res, 400, "invalid_query").await;
            assert_eq!(problem["field"], "limit", "{path}?limit={limit}: {problem}");
        }
        let page = app.get_json(&format!("{path}?limit=100"), &staff).await;
        assert!(page["items"].as_array().is_some_and(|i| i.len() <= 100));
    }
}

#[tokio::test]
async fn an_account_sending_too_many_changes_is_slowed_down_and_others_are_not() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_WRITES_PER_MINUTE".into(), "5".into());
    })
    .await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let other = app.sign_in(LI_DEPUTY, PASSWORD).await;
    for n in 0..5 {
        let res = app
            .post(
                "/api/v1/issues",
                &deputy,
                &json!({"description": format!("第{n}条：路灯不亮。")}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let res = app
        .post("/api/v1/issues", &deputy, &json!({"description": "第六条：路灯不亮。"}))
        .await;
    let retry_after: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry_after));
    assert_problem(res, 429, "rate_limited").await;
    // Reads go on; so do other accounts' writes.
    let mine = app.get_json("/api/v1/issues", &deputy).await;
    assert_eq!(
        mine["items"].as_array().map(Vec::len),
        Some(5),
        "the refused write left nothing"
    );
    let res = app
        .post(
            "/api/v1/issues",
            &other,
            &json!({"description": "另一位代表：路灯不亮。"}),
        )
        .await;
    assert_eq!(res.status(), 201);
}
