//! `minsheng`: serve the API (with the worker), run the worker alone, migrate, seed the demo, create an admin, print the spec.

use anyhow::Context;
use clap::{Parser, Subcommand};
use infra::config::Config;
use minsheng_api::{openapi, seed, startup, telemetry, worker};
use std::io::BufRead;
use std::process::ExitCode;
use tokio::sync::watch;

// mimalloc rather than glibc's malloc: see the workspace's Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "minsheng",
    version,
    about = "民声: citizens and deputies report, agencies answer, everyone sees it through"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, then serve the API (and the background worker unless --no-worker).
    Serve {
        /// Serve the API only; run `minsheng worker` elsewhere.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run the background worker alone (scale it apart from the API).
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo county (idempotent) and print its sign-ins. The county at work — five weeks of issues played
    /// through the API — is `minsheng-demo`'s, a tool beside this binary.
    SeedDemo {
        /// Print accounts, regions, stations, agencies and categories as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Create an admin account; the password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        phone: String,
        #[arg(long, default_value = "系统管理员")]
        name: String,
    },
    /// Print the OpenAPI document.
    Openapi,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        return match openapi::document_json() {
            Ok(doc) => {
                print!("{doc}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "minsheng stopped with an error");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    if config.jwt_secret_is_default && matches!(command, Command::Serve { .. }) {
        tracing::warn!("MINSHENG_JWT_SECRET is not set: using the development secret. Set it in production.");
    }
    match command {
        Command::Serve { no_worker } => serve(config, !no_worker).await,
        Command::Worker => {
            migrate(&config).await?;
            let state = startup::state(config)?;
            state.metrics.set_role("worker");
            let (stop_tx, stop_rx) = watch::channel(false);
            let worker = tokio::spawn(worker::run(state, stop_rx));
            shutdown_signal().await;
            let _ = stop_tx.send(true);
            worker.await?;
            Ok(())
        }
        Command::Migrate => migrate(&config).await,
        Command::SeedDemo { json } => {
            migrate(&config).await?;
            let state = startup::state(config)?;
            let report = seed::seed_demo(&state.db).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("Demo county loaded. Every account's password: {}", report.password);
                for a in &report.accounts {
                    println!("  {:<8} {}  {}", a.role.as_str(), a.phone, a.name);
                }
                println!("What the stations' QR codes lead to (no sign-in needed):");
                for s in &report.scenes {
                    println!("  /api/v1/scenes/{}  {}", s.code, s.name);
                }
            }
            Ok(())
        }
        Command::CreateAdmin { phone, name } => {
            migrate(&config).await?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let state = startup::state(config)?;
            let id = minsheng_api::app::accounts::create_admin(&state.db, &phone, &name, password).await?;
            println!("admin {id} created; sign in with phone {phone}");
            Ok(())
        }
        Command::Openapi => Ok(()),
    }
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    // On a direct connection when DATABASE_URL goes through a pooler: the migration lock is a session's.
    let applied = infra::db::migrate::run(&config.migration_database_url)
        .await
        .with_context(|| {
            let url = secrecy::ExposeSecret::expose_secret(&config.migration_database_url);
            format!("migrating {}", infra::config::redact_url(url))
        })?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "migrations applied");
    }
    Ok(())
}

async fn serve(config: Config, with_worker: bool) -> anyhow::Result<()> {
    migrate(&config).await?;
    let bind = config.bind;
    let public_url = config.public_url.clone();
    let state = startup::state(config)?;
    state
        .metrics
        .set_role(if with_worker { "serve+worker" } else { "serve" });
    let app = startup::Application::build(state.clone())?;
    let handle = app.handle();
    tracing::info!(%bind, docs = %format!("{public_url}/docs/"), "serving");
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = with_worker.then(|| tokio::spawn(worker::run(state, stop_rx)));
    let server = tokio::spawn(app.run_until_stopped());
    shutdown_signal().await;
    tracing::info!("shutting down");
    let _ = stop_tx.send(true);
    handle.stop(true).await;
    server.await??;
    if let Some(worker) = worker {
        worker.await?;
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
