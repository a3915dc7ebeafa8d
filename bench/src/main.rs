//! `minsheng-bench`: figures of the service under volume. Run through `scripts/bench`, on the release profile, against
//! real PostgreSQL and Redis: a database of its own (dropped at the end) and a Redis prefix of its own (deleted at
//! the end).
//!
//! `deadlines`:
//! 1. N routed issues whose sign deadlines all turn yellow at the same minute (default 100,000); the time until every
//!    reminder is in the outbox (one webhook delivery per deadline for the agency's system), with 1 and then 2
//!    workers.
//! 2. The time to rebuild the schedule from PostgreSQL for M open deadlines (default 1,000,000).
//!
//! `stats`: I issues over a year in two counties (default 1,000,000), with the outcomes a working platform has; the
//! time of each statistics query (the SQL behind `/stats/*`, `/bulletins` and `/public/issues`), best of three.

mod http;
mod stats;

use chrono::{Duration, Utc};
use clap::Parser;
use diesel::sql_types::{BigInt, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use minsheng_api::worker::supervise;
use minsheng_api::{seed, startup};
use std::collections::HashMap;
use std::time::Instant;
use uuid::Uuid;

#[derive(Parser)]
struct Args {
    /// What to measure: `deadlines` or `stats`.
    what: String,
    /// Deadlines that fall due together.
    #[arg(long, default_value_t = 100_000)]
    due: i64,
    /// Open deadlines the schedule is rebuilt from.
    #[arg(long, default_value_t = 1_000_000)]
    open: i64,
    /// Issues loaded (`stats`, `http`).
    #[arg(long, default_value_t = 1_000_000)]
    issues: i64,
    /// Seconds each `http` run lasts.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Connections the load generator and pgbench each keep open (`http`).
    #[arg(long, default_value_t = 16)]
    connections: u32,
    /// Requests per second of the mixed runs, one run each (`http`).
    #[arg(long, value_delimiter = ',', default_values_t = [250, 500, 1000])]
    rates: Vec<u32>,
    /// Where `http` writes its results.
    #[arg(long, default_value = "docs/benchmarks.md")]
    report: std::path::PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        matches!(args.what.as_str(), "deadlines" | "stats" | "http"),
        "unknown benchmark {}: try deadlines, stats or http",
        args.what
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(&args))
}

/// SQL for a UUIDv7 of the moment `time` (PostgreSQL 15 has no uuidv7()), as the service's `Uuid::now_v7` makes.
fn uuid_v7(time: &str) -> String {
    format!(
        "(lpad(to_hex((extract(epoch FROM {time}) * 1000)::bigint), 12, '0') || '7' \
         || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid"
    )
}

async fn sql(conn: &mut AsyncPgConnection, statement: &str) -> anyhow::Result<usize> {
    Ok(diesel::sql_query(statement).execute(conn).await?)
}

async fn run(args: &Args) -> anyhow::Result<()> {
    let server =
        std::env::var("MINSHENG_PG_SERVER").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("minsheng_bench_{}", std::process::id());
    let mut admin = AsyncPgConnection::establish(&server).await?;
    sql(&mut admin, &format!("CREATE DATABASE {name}")).await?;
    let url = match server.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => anyhow::bail!("MINSHENG_PG_SERVER must end with a database name"),
    };
    let prefix = format!("minsheng-bench:{}:", Uuid::new_v4().simple());
    let outcome = if args.what == "stats" {
        stats::measure(args.issues, &url, &prefix).await
    } else if args.what == "http" {
        let settings = http::Settings {
            issues: args.issues,
            seconds: args.seconds,
            connections: args.connections,
            rates: &args.rates,
            report: &args.report,
        };
        http::measure(&settings, &url, &prefix).await
    } else {
        measure(args, &url, &prefix).await
    };
    forget_keys(&prefix).await;
    // MINSHENG_BENCH_KEEP=1 keeps the loaded database for looking into query plans afterwards.
    if std::env::var("MINSHENG_BENCH_KEEP").is_ok_and(|v| v == "1") {
        println!("kept the database {name}");
    } else {
        sql(&mut admin, &format!("DROP DATABASE {name} WITH (FORCE)")).await?;
    }
    outcome
}

/// The service's settings for a bench database and Redis prefix.
fn bench_env(url: &str, prefix: &str) -> HashMap<&'static str, String> {
    [
        ("DATABASE_URL", url.to_owned()),
        ("MINSHENG_REDIS_PREFIX", prefix.to_owned()),
        ("MINSHENG_DATABASE_POOL_SIZE", "8".to_owned()),
    ]
    .into_iter()
    .collect()
}

fn config(env: &HashMap<&str, String>) -> anyhow::Result<infra::config::Config> {
    Ok(infra::config::Config::from_lookup(|k| {
        env.get(k).cloned().or_else(|| std::env::var(k).ok())
    })?)
}

async fn measure(args: &Args, url: &str, prefix: &str) -> anyhow::Result<()> {
    let env = bench_env(url, prefix);
    infra::db::migrate::run(&config(&env)?.database_url).await?;
    let t0 = Utc::now() + Duration::days(1);
    let clock = infra::clock::Clock::manual(t0 + Duration::seconds(1));
    let state = startup::state_with_clock(config(&env)?, clock.clone())?;
    let demo = seed::seed_demo(&state.db).await?;
    let housing = demo
        .agency("余姚市住房和城乡建设局")
        .ok_or_else(|| anyhow::anyhow!("the demo has its housing bureau"))?;
    let reporter = demo
        .account("13900000011")
        .ok_or_else(|| anyhow::anyhow!("the demo has its deputy"))?;
    let mut conn = AsyncPgConnection::establish(url).await?;
    // The agency's system takes every reminder by webhook: one outbox row per reminder (nothing listens at port 9;
    // delivery is not measured here).
    diesel::sql_query(
        "INSERT INTO webhooks (id, agency_id, url, secret, created_by) \
         SELECT gen_random_uuid(), $1, 'http://127.0.0.1:9/bench', 'bench-secret-0123456789', $2",
    )
    .bind::<SqlUuid, _>(housing)
    .bind::<SqlUuid, _>(reporter)
    .execute(&mut conn)
    .await?;
    let started = Instant::now();
    add_deadlines(&mut conn, housing, reporter, 0, args.due, t0).await?;
    println!(
        "loaded {} routed issues with deadlines due together in {:.1?}",
        args.due,
        started.elapsed()
    );

    for workers in [1_usize, 2] {
        // Each run starts from the same place: nothing fired yet.
        sql(&mut conn, "DELETE FROM outbox").await?;
        sql(&mut conn, "DELETE FROM notifications").await?;
        sql(&mut conn, "DELETE FROM issue_events").await?;
        sql(&mut conn, "UPDATE issues SET last_seq = 0").await?;
        sql(
            &mut conn,
            "UPDATE deadlines SET next_step = 'warn', next_at = warn_at WHERE ended_at IS NULL",
        )
        .await?;
        // As a county's tables are: vacuumed and with statistics, not fresh from a bulk load and a reset that left
        // a dead row behind each live one (unanalysed, PostgreSQL guesses its plans blind).
        sql(
            &mut conn,
            "VACUUM ANALYZE issues, deadlines, issue_events, notifications, outbox",
        )
        .await?;
        supervise::rebuild(&state).await.map_err(anyhow::Error::msg)?;
        let instances: Vec<_> = (0..workers)
            .map(|_| startup::state_with_clock(config(&env)?, clock.clone()))
            .collect::<Result<_, _>>()?;
        let started = Instant::now();
        let tasks: Vec<_> = instances
            .into_iter()
            .map(|s| tokio::spawn(async move { while supervise::tick(&s).await > 0 {} }))
            .collect();
        for t in tasks {
            t.await?;
        }
        let elapsed = started.elapsed();
        let queued = infra::db::outbox::count(&mut conn, Some("warned")).await?;
        anyhow::ensure!(queued == args.due, "{queued} reminders queued, {} expected", args.due);
        #[allow(clippy::cast_precision_loss)]
        let rate = args.due as f64 / elapsed.as_secs_f64();
        println!(
            "deadlines: {} reminders in the outbox with {workers} worker(s), {} batches at once each: {elapsed:.1?} \
             ({rate:.0} per second)",
            args.due, state.config.worker.batches
        );
    }

    if args.open > args.due {
        let started = Instant::now();
        add_deadlines(
            &mut conn,
            housing,
            reporter,
            args.due,
            args.open - args.due,
            t0 + Duration::days(3),
        )
        .await?;
        println!(
            "loaded {} more open deadlines in {:.1?}",
            args.open - args.due,
            started.elapsed()
        );
    }
    let mut c = state.redis.conn().await?;
    let _: () = redis::cmd("DEL")
        .arg(state.redis.tagged("schedule", "due"))
        .arg(state.redis.tagged("schedule", "claimed"))
        .arg(state.redis.tagged("schedule", "built"))
        .query_async(&mut c)
        .await?;
    let started = Instant::now();
    let entries = supervise::rebuild(&state).await.map_err(anyhow::Error::msg)?;
    let elapsed = started.elapsed();
    println!("deadlines: rebuilt the Redis schedule of {entries} open deadlines from PostgreSQL in {elapsed:.1?}");
    Ok(())
}

/// `count` routed issues (numbered from `from`) in 凤山街道, each with an open sign deadline that turns yellow at
/// `warn_at` — set-based SQL, so a million rows load in a minute or so.
async fn add_deadlines(
    conn: &mut AsyncPgConnection,
    agency: Uuid,
    reporter: Uuid,
    from: i64,
    count: i64,
    warn_at: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let path: String = {
        #[derive(diesel::QueryableByName)]
        struct P {
            #[diesel(sql_type = diesel::sql_types::Text)]
            path: String,
        }
        diesel::sql_query("SELECT path FROM regions WHERE code = '330281001'")
            .get_result::<P>(conn)
            .await?
            .path
    };
    diesel::sql_query(
        "INSERT INTO issues (id, number, region_code, region_path, reporter_id, reporter_role, description, \
         category_code, status, lead_agency_id, last_seq, created_at, updated_at) \
         SELECT gen_random_uuid(), 'BENCH-' || g, '330281001', $1, $2, 'deputy', '基准测试：路灯不亮。', \
         'streetlight', 'routed', $3, 0, $4, $4 FROM generate_series($5 + 1, $5 + $6) g",
    )
    .bind::<diesel::sql_types::Text, _>(&path)
    .bind::<SqlUuid, _>(reporter)
    .bind::<SqlUuid, _>(agency)
    .bind::<Timestamptz, _>(warn_at - Duration::days(1))
    .bind::<BigInt, _>(from)
    .bind::<BigInt, _>(count)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO deadlines (id, issue_id, stage, round, agency_id, started_at, due_at, warn_at, next_step, next_at) \
         SELECT gen_random_uuid(), i.id, 'sign', 1, $1, $2 - interval '1 day', $2 + interval '1 day', $2, 'warn', $2 \
         FROM issues i WHERE i.number LIKE 'BENCH-%' \
         AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.issue_id = i.id)",
    )
    .bind::<SqlUuid, _>(agency)
    .bind::<Timestamptz, _>(warn_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the bench's Redis keys: its own (`prefix*`) and those in its hash tags (`{prefix…}:…`).
async fn forget_keys(prefix: &str) {
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into());
    let Ok(client) = redis::Client::open(redis_url) else {
        return;
    };
    let Ok(mut c) = client.get_multiplexed_async_connection().await else {
        return;
    };
    for pattern in [format!("{prefix}*"), format!("{{{prefix}*")] {
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(pattern)
            .query_async(&mut c)
            .await
            .unwrap_or_default();
        if !keys.is_empty() {
            let _: Result<(), _> = redis::cmd("DEL").arg(keys).query_async(&mut c).await;
        }
    }
}
