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
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("the thread ends")
        .expect("Playwright starts (scripts/test installs it with npm)");
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        out.status.success(),
        "the browser tests failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
