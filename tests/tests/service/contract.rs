//! The spec as others use it. Schemathesis generates requests from the live `/api-docs/openapi.json` for every role
//! and checks that nothing answers 5xx and every answer (status, content type, headers, body) is one the spec
//! describes. The TypeScript client generated from `openapi/openapi.json` runs the citizen's report-and-rate flow.
//! Both tools are installed by scripts/test (schemathesis from PyPI in `.data/venv`, the client's packages from npm
//! in `clients/typescript/node_modules`); `scripts/fuzz` runs schemathesis with a larger budget.

use super::issues::{citizen, fengshan_scene, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::TestApp;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs a tool to the end, off the test's runtime; answers its exit status and everything it printed.
async fn run(mut cmd: Command) -> (bool, String) {
    let shown = format!("{cmd:?}");
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("the thread ends")
        .unwrap_or_else(|e| panic!("{shown} could not start ({e}); scripts/test installs it"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_answer_outside_the_spec_for_any_role() {
    let fake = FakeWeChat::start().await;
    // Text messages go to a stand-in too: every configured path answers as in production.
    let sms = minsheng_tests::sms::FakeSms::start().await;
    let texts = sms.env();
    let app = TestApp::spawn_with_wechat(&fake, |env| {
        env.insert("MINSHENG_HTTP_WORKERS".into(), "2".into());
        // Generated requests come fast; the sign-in limit is not what is tested here.
        env.insert("MINSHENG_SIGNIN_LIMIT_PER_IP".into(), "100000".into());
        env.insert("MINSHENG_WECHAT_PUSH_TOKEN".into(), "fuzzPushToken1".into());
        env.extend(texts);
    })
    .await;
    let seed = app.seed_demo().await;
    let admin = app.admin_token().await;
    let mut roles = vec![
        ("anonymous", None),
        ("citizen", Some(citizen(&app, &fake, &seed, "fuzzing-citizen").await)),
        ("admin", Some(admin)),
    ];
    for (role, phone) in [
        ("deputy", WANG_DEPUTY),
        ("staff", YUYAO_STAFF),
        ("handler", HOUSING_HANDLER),
    ] {
        roles.push((role, Some(app.sign_in(phone, PASSWORD).await)));
    }
    let program = std::env::var("MINSHENG_SCHEMATHESIS").unwrap_or_else(|_| "schemathesis".to_owned());
    let examples = std::env::var("MINSHENG_FUZZ_EXAMPLES").unwrap_or_else(|_| "8".to_owned());
    let seed = std::env::var("MINSHENG_FUZZ_SEED").unwrap_or_else(|_| "20261125".to_owned());
    let scratch = std::env::temp_dir().join(format!("minsheng-fuzz-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&scratch).expect("a scratch folder");
    let mut failed = Vec::new();
    for (role, token) in roles {
        let mut cmd = Command::new(&program);
        cmd.current_dir(&scratch)
            .arg("run")
            .arg(app.url("/api-docs/openapi.json"))
            .args([
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,\
                 response_headers_conformance,response_schema_conformance",
            ])
            // Ending one's own session or erasing one's own account would leave the rest of the run signed out.
            .args(["--exclude-path-regex", "^/api/v1/(auth/logout|me)$"])
            .args(["--max-examples", &examples])
            .args(["--generation-database", "none", "--no-color", "--warnings", "off"]);
        if seed != "random" {
            cmd.args(["--seed", &seed]);
        }
        if let Some(token) = token {
            cmd.args(["-H", &format!("Authorization: Bearer {token}")]);
        }
        let (ok, output) = run(cmd).await;
        if !ok {
            failed.push(format!("── as {role} ──\n{output}"));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failed.is_empty(), "schemathesis failed:\n{}", failed.join("\n"));
}

#[tokio::test]
async fn the_typescript_client_generated_from_the_spec_runs_the_citizens_report_and_rate_flow() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let scene = fengshan_scene(&seed);
    let client = root().join("clients/typescript");
    let mut cmd = Command::new("node");
    cmd.arg(client.join("dist/flow.js"))
        .env("MINSHENG_URL", &app.address)
        .env("WECHAT_CODE", fake.login_code("ts-client-citizen"))
        .env("SCENE", scene)
        .env("STAFF_PHONE", YUYAO_STAFF)
        .env("HANDLER_PHONE", HOUSING_HANDLER)
        .env("PASSWORD", PASSWORD);
    let (ok, output) = run(cmd).await;
    assert!(
        ok,
        "the client flow failed (scripts/test builds clients/typescript first):\n{output}"
    );
    let summary: serde_json::Value = serde_json::from_str(output.trim()).expect("the flow prints its summary");
    assert_eq!(summary["status"], "closed", "{summary}");
    let events: Vec<&str> = summary["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    for kind in ["report", "accept", "route", "sign", "reply", "rate"] {
        assert!(events.contains(&kind), "{kind} missing from {events:?}");
    }
    // What the client did is what the service holds.
    let id = summary["id"].as_str().expect("id");
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let issue = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    assert_eq!(issue["status"], "closed");
    assert_eq!(issue["rating"], "satisfied", "{issue}");
}
