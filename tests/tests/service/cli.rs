//! The `minsheng` binary as operators run it.

use minsheng_tests::{demo_bin, minsheng_bin, redis_url, TestApp, TestDatabase};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn minsheng(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    run(minsheng_bin(), args, env, stdin)
}

/// The `minsheng-demo` tool, as `minsheng` is run.
fn demo(env: &[(&str, &str)]) -> Output {
    run(demo_bin(), &[], env, None)
}

fn run(program: std::path::PathBuf, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("minsheng runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("writes stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("minsheng finishes")
}

#[tokio::test]
async fn a_wrong_setting_stops_start_up_naming_the_variable() {
    for (variable, value) in [
        ("MINSHENG_BIND", "not-an-address"),
        ("DATABASE_URL", "mysql://localhost/minsheng"),
        ("MINSHENG_JWT_SECRET", "too-short"),
        ("MINSHENG_STORAGE", "s3://Not_A_Bucket/photos"),
        ("MINSHENG_WECHAT_API_BASE", "api.weixin.qq.com"),
    ] {
        let out = minsheng(&["serve"], &[(variable, value)], None);
        assert_eq!(out.status.code(), Some(2), "{variable}={value} must stop start-up");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(variable), "the error names {variable}: {stderr}");
    }
}

#[tokio::test]
async fn openapi_prints_the_checked_in_document() {
    let out = minsheng(&["openapi"], &[], None);
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        printed,
        include_str!("../../../openapi/openapi.json"),
        "run scripts/openapi to refresh openapi/openapi.json"
    );
}

#[tokio::test]
async fn seed_demo_twice_changes_nothing_the_second_time() {
    let db = TestDatabase::create_empty().await;
    let url = db.url();
    let env = [("DATABASE_URL", url.as_str())];
    let first = minsheng(&["seed-demo", "--json"], &env, None);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let second = minsheng(&["seed-demo", "--json"], &env, None);
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let a: Value = serde_json::from_slice(&first.stdout).expect("json");
    let b: Value = serde_json::from_slice(&second.stdout).expect("json");
    assert_eq!(a, b, "same ids, same everything");
    assert_eq!(a["accounts"].as_array().map(Vec::len), Some(13));
    assert!(a["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .all(|acc| acc["password"] == a["password"] && acc["phone"].is_string()));
    for key in ["regions", "stations", "agencies", "categories", "scenes"] {
        assert!(a[key].as_array().is_some_and(|v| !v.is_empty()), "{key}");
    }
    let plain = minsheng(&["seed-demo"], &env, None);
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(
        text.contains("13900000001") && text.contains("minsheng-demo-2026"),
        "{text}"
    );
}

#[tokio::test]
async fn create_admin_reads_the_password_from_stdin_and_the_admin_signs_in() {
    let app = TestApp::spawn().await;
    let url = app.db.as_ref().expect("db").url();
    let env = [("DATABASE_URL", url.as_str())];
    let weak = minsheng(&["create-admin", "--phone", "13700000000"], &env, Some("weak\n"));
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"));
    let out = minsheng(
        &["create-admin", "--phone", "13700000000", "--name", "运维"],
        &env,
        Some("operator-pass-2026\n"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = app.sign_in("13700000000", "operator-pass-2026").await;
    let me: Value = app.get_json("/api/v1/me", &token).await;
    assert_eq!(me["roles"], serde_json::json!(["admin"]));
    let again = minsheng(
        &["create-admin", "--phone", "13700000000"],
        &env,
        Some("operator-pass-2026\n"),
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[tokio::test]
async fn instances_migrating_at_the_same_time_take_turns() {
    let db = TestDatabase::create_empty().await;
    let url = db.url();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                minsheng(
                    &["migrate"],
                    &[("DATABASE_URL", &url), ("REDIS_URL", &redis_url())],
                    None,
                )
            })
        })
        .collect();
    for h in handles {
        let out = h.join().expect("thread");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let seeded = minsheng(&["seed-demo", "--json"], &[("DATABASE_URL", &url)], None);
    assert!(
        seeded.status.success(),
        "the schema is whole: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
}

#[tokio::test]
async fn the_demo_tool_loads_the_county_at_work_once() {
    let app = TestApp::spawn().await;
    let env: Vec<(&str, &str)> = ["DATABASE_URL", "REDIS_URL", "MINSHENG_REDIS_PREFIX", "MINSHENG_STORAGE"]
        .iter()
        .map(|k| (*k, app.env.get(*k).expect("set").as_str()))
        .collect();
    let first = demo(&env);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stderr).contains("30 issues"));

    // Every state of the loop, some overdue, some under key supervision, some rated; a ballot closed with its
    // projects elected and reporting progress, and one open.
    let staff = app.sign_in("13900000001", "minsheng-demo-2026").await;
    for status in [
        "submitted",
        "accepted",
        "declined",
        "merged",
        "routed",
        "signed",
        "in_progress",
        "replied",
        "reopened",
        "closed",
    ] {
        let page = app
            .get_json(&format!("/api/v1/issues?status={status}&limit=100"), &staff)
            .await;
        assert!(
            page["items"].as_array().is_some_and(|i| !i.is_empty()),
            "no {status} issue in the county at work"
        );
    }
    let red = app.get_json("/api/v1/deadlines?warning=red&limit=100", &staff).await;
    assert!(red["items"].as_array().is_some_and(|i| i.len() >= 3), "{red}");
    let overview = app.get_json("/api/v1/stats/overview", &staff).await;
    assert_eq!(overview["counts"]["reported"], 30);
    assert!(overview["counts"]["rated"].as_i64() > Some(3), "{overview}");
    let ballots = app.get_json("/api/v1/ballots", &staff).await;
    let phases: Vec<&str> = ballots
        .as_array()
        .expect("ballots")
        .iter()
        .filter_map(|b| b["phase"].as_str())
        .collect();
    assert!(phases.contains(&"closed") && phases.contains(&"open"), "{phases:?}");
    let projects = app.get_json("/api/v1/projects", &staff).await;
    assert!(
        projects
            .as_array()
            .expect("projects")
            .iter()
            .any(|p| p["progress"]["percent"] == 20),
        "{projects}"
    );

    let counts = async || {
        let mut counts = Vec::new();
        for table in [
            "issues",
            "issue_events",
            "ballots",
            "ballot_papers",
            "project_reports",
            "users",
            "deadlines",
        ] {
            counts.push(super::issues::sql(&app, &format!("SELECT 1 FROM {table}")).await);
        }
        counts
    };
    let before = counts().await;
    let second = demo(&env);
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    assert!(String::from_utf8_lossy(&second.stderr).contains("nothing changed"));
    assert_eq!(counts().await, before, "a second run changes nothing");
}
