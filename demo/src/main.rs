//! `minsheng-demo`: loads the demo county (as `minsheng seed-demo` does) and plays it at work — five weeks of issues
//! in every state of the loop and two ballots — through the service's own API. Loaded once: a second run changes
//! nothing. Configured by the service's own environment variables (`DATABASE_URL`, `REDIS_URL`, …).

use anyhow::Context;
use infra::config::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned()))
        .with_writer(std::io::stderr)
        .init();
    let config = Config::from_env()?;
    infra::db::migrate::run(&config.database_url)
        .await
        .with_context(|| format!("migrating {}", config.database_url_for_logs()))?;
    let state = minsheng_api::startup::state(config.clone())?;
    let report = minsheng_api::seed::seed_demo(&state.db).await?;
    let story = minsheng_demo::seed_lively(config, report).await?;
    if story.loaded {
        eprintln!(
            "The county at work: {} issues over five weeks and {} ballots loaded.",
            story.issues, story.ballots
        );
    } else {
        eprintln!("The county at work was loaded before; nothing changed.");
    }
    Ok(())
}
