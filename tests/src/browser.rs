//! Browser tests: Playwright (from npm, in the client's own folder) driving Debian's Chromium against a running
//! service. The client's `e2e/` holds the flows; each run keeps its traces in a scratch folder it removes after, and
//! its screenshots in the client's `screenshots/`.

use std::path::Path;
use std::process::Command;

/// Runs `npx playwright test` in the client at `dir` against the service at `url`, with `env` besides, and fails
/// with everything Playwright printed when a flow fails.
///
/// # Panics
/// When Playwright cannot start or a flow fails.
pub async fn playwright(dir: &Path, url: &str, env: &[(&str, String)]) {
    let scratch = std::env::temp_dir().join(format!("minsheng-playwright-{}", uuid::Uuid::new_v4().simple()));
    let mut cmd = Command::new(dir.join("node_modules/.bin/playwright"));
    cmd.current_dir(dir)
        .arg("test")
        .env("MINSHENG_URL", url)
        .env("SCREENSHOTS", dir.join("screenshots"))
        .env("PLAYWRIGHT_OUTPUT", &scratch)
        .env(
            "CHROMIUM",
            std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
        )
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    // A developer's shortcut: `E2E_ONLY=09-desk` runs only the spec files whose names hold it.
    if let Ok(only) = std::env::var("E2E_ONLY") {
        cmd.arg(only);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("the thread ends")
        .expect("Playwright starts (scripts/test installs it with npm)");
    // A failure's traces and page snapshots stay for whoever reads the failure (the paths are in its report).
    if out.status.success() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    assert!(
        out.status.success(),
        "the browser tests failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The service a browser suite drives, pointed at the WeChat stand-in with `tweak` applied: room for a browser's
/// parallel requests and for many sign-ins from one address, and the demo county loaded and at work.
///
/// # Panics
/// When the county at work does not load.
pub async fn county_at_work(
    fake: &crate::wechat::FakeWeChat,
    tweak: impl FnOnce(&mut std::collections::HashMap<String, String>),
) -> (crate::TestApp, minsheng_api::seed::SeedReport) {
    let app = crate::TestApp::spawn_with_wechat(fake, |env| {
        env.insert("MINSHENG_HTTP_WORKERS".into(), "2".into());
        env.insert("MINSHENG_DATABASE_POOL_SIZE".into(), "8".into());
        // Several people sign in many times from one address.
        env.insert("MINSHENG_SIGNIN_LIMIT_PER_IP".into(), "100000".into());
        tweak(env);
    })
    .await;
    let seed = app.seed_demo().await;
    let story = minsheng_demo::seed_lively((*app.state.config).clone(), seed.clone())
        .await
        .expect("the county at work loads");
    assert!(story.loaded);
    (app, seed)
}
