//! The console in a real browser: Playwright (from npm) drives Debian's Chromium, headless, against the service on
//! real PostgreSQL and Redis with the demo county at work loaded (`minsheng-demo`). The flows and their
//! assertions are in `clients/console/e2e/`; scripts/test builds the console and installs both first. Screenshots
//! of the main screens land in `clients/console/screenshots/`.

use super::issues::{citizen, report};
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::TestApp;
use serde_json::json;
use std::path::PathBuf;

fn console() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../clients/console")
}

#[tokio::test]
async fn the_console_is_served_under_a_strict_content_security_policy_and_the_root_leads_there() {
    let dist = tempfile_dir();
    std::fs::create_dir_all(dist.join("assets")).expect("a folder");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>民声</title>").expect("written");
    std::fs::write(dist.join("assets/index-abc123.js"), "console.log(1)").expect("written");
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_CONSOLE_DIR".into(), dist.to_string_lossy().into_owned());
    })
    .await;
    let res = app.client.get(app.url("/")).send().await.expect("answers");
    assert_eq!(res.status(), 307);
    assert_eq!(res.headers()["location"], "/console/");

    let res = app.client.get(app.url("/console/")).send().await.expect("answers");
    assert_eq!(res.status(), 200);
    let policy = res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    for directive in [
        "default-src 'self'",
        "script-src 'self';",
        "style-src 'self';",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} missing from {policy}");
    }
    assert!(
        !policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"),
        "{policy}"
    );
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.text().await.expect("text").contains("民声"));

    let res = app
        .client
        .get(app.url("/console/assets/index-abc123.js"))
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .contains("javascript"));
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    // A browser that takes gzip gets the files gzipped.
    let res = app
        .client
        .get(app.url("/console/assets/index-abc123.js"))
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .expect("answers");
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");

    minsheng_tests::assert_problem(
        app.client
            .get(app.url("/console/missing.js"))
            .send()
            .await
            .expect("answers"),
        404,
        "not_found",
    )
    .await;
    // Without a tile server, maps draw on a plain background.
    let map = map_settings(&app).await;
    assert_eq!(map, json!({"tiles": null}));
    let _ = std::fs::remove_dir_all(&dist);
}

#[tokio::test]
async fn a_tile_server_the_deployment_names_is_the_only_other_host_the_console_may_load_images_from() {
    let app = TestApp::spawn_with(|env| {
        env.insert(
            "MINSHENG_MAP_TILES".into(),
            "https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=demo".into(),
        );
        env.insert("MINSHENG_MAP_TILE_SUBDOMAINS".into(), "0,1".into());
        env.insert("MINSHENG_MAP_ATTRIBUTION".into(), "天地图".into());
    })
    .await;
    let res = app.client.get(app.url("/console/")).send().await.expect("answers");
    let policy = res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        policy.contains("img-src 'self' blob: data: https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn;"),
        "{policy}"
    );
    assert!(policy.contains("connect-src 'self';"), "{policy}");
    let map = map_settings(&app).await;
    assert_eq!(map["tiles"]["subdomains"], json!(["0", "1"]));
    assert_eq!(map["tiles"]["attribution"], "天地图");
    assert!(map["tiles"]["template"].as_str().expect("template").contains("{x}"));
}

#[tokio::test]
async fn without_a_built_console_its_pages_say_how_to_build_it() {
    let app = TestApp::spawn_with(|env| {
        env.insert(
            "MINSHENG_CONSOLE_DIR".into(),
            tempfile_dir().to_string_lossy().into_owned(),
        );
    })
    .await;
    for path in ["/console/", "/console/assets/index.js"] {
        let p = minsheng_tests::assert_problem(
            app.client.get(app.url(path)).send().await.expect("answers"),
            404,
            "not_found",
        )
        .await;
        assert!(p["detail"].as_str().is_some_and(|d| d.contains("scripts/run")), "{p}");
    }
    assert_eq!(
        map_settings(&app).await["tiles"],
        serde_json::Value::Null,
        "the API still serves"
    );
}

async fn map_settings(app: &TestApp) -> serde_json::Value {
    let res = app.client.get(app.url("/api/v1/map")).send().await.expect("answers");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

fn tempfile_dir() -> PathBuf {
    std::env::temp_dir().join(format!("minsheng-console-{}", uuid::Uuid::new_v4().simple()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_handlers_deputies_and_admins_work_in_the_console_in_a_real_browser() {
    let dist = console().join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "the console is not built: scripts/test builds it (npm run build in clients/console)"
    );
    let fake = FakeWeChat::start().await;
    let (app, seed) = minsheng_tests::browser::county_at_work(&fake, |env| {
        env.insert("MINSHENG_CONSOLE_DIR".into(), dist.to_string_lossy().into_owned());
        // The shortest token life, so that a browser test can let one expire (08-sign-out.spec.ts): the console
        // renews a minute before the end, here every half minute.
        env.insert("MINSHENG_ACCESS_TOKEN_TTL_SECONDS".into(), "60".into());
    })
    .await;

    // A citizen's report from the mini-program, for staff to triage in the browser.
    let title = format!(
        "小区门口路灯不亮（{}）",
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    let resident = citizen(&app, &fake, &seed, "console-citizen").await;
    report(
        &app,
        &resident,
        &json!({
            "title": title,
            "description": "凤山街道新建路小区门口三盏路灯不亮，晚上出入看不清台阶。",
            "category_code": "streetlight",
            "location": {"address": "凤山街道新建路", "latitude": 30.0411, "longitude": 121.1519},
        }),
    )
    .await;

    minsheng_tests::browser::playwright(
        &console(),
        &app.address,
        &[("ISSUE_TITLE", title), ("PASSWORD", seed.password.to_owned())],
    )
    .await;
}
