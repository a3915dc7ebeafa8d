//! `stats`: the statistics queries over a year of issues in two counties.

use super::{bench_env, config, sql};
use chrono::{TimeZone, Utc};
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::organisation::region::RegionPath;
use domain::stats::{Breakdown, CellSize, Counted, Period, StatsScope};
use infra::db::stats::{self as q, Cohort, PublicFilter};
use minsheng_api::seed;
use std::time::{Duration as Elapsed, Instant};

pub async fn measure(issues: i64, url: &str, prefix: &str) -> anyhow::Result<()> {
    let env = bench_env(url, prefix);
    let config = config(&env)?;
    infra::db::migrate::run(&config.database_url).await?;
    let state = minsheng_api::startup::state_with_clock(config, infra::clock::Clock::system())?;
    seed::seed_demo(&state.db).await?;
    let mut conn = AsyncPgConnection::establish(url).await?;
    let started = Instant::now();
    load(&mut conn, issues).await?;
    println!("stats: loaded {issues} issues over a year in {:.1?}", started.elapsed());

    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let yuyao = RegionPath::from_stored("/33/3302/330281/".into());
    let fengshan = RegionPath::from_stored("/33/3302/330281/330281001/".into());
    let county = StatsScope {
        region: Some(yuyao.clone()),
        counted: Counted::All,
    };
    let street = StatsScope {
        region: Some(fengshan),
        counted: Counted::All,
    };
    let everywhere = StatsScope {
        region: None,
        counted: Counted::All,
    };
    let year = Period::parse(Some("2025-11-26"), Some("2026-11-25")).map_err(|e| anyhow::anyhow!(e.message))?;
    let month = Period::parse(Some("2026-10-01"), Some("2026-10-31")).map_err(|e| anyhow::anyhow!(e.message))?;
    let cohort = |scope, period| Cohort { scope, period, now };
    let in_county: i64 = count(
        &mut conn,
        "SELECT count(*) AS n FROM issues WHERE region_path LIKE '/33/3302/330281/%'",
    )
    .await?;
    println!("stats: 余姚 holds {in_county} of them");

    // One scan of the issues, as every figure was read before the tallies (and still is where they cannot answer).
    let c = cohort(&everywhere, year);
    time("overview, everywhere, a year, scanned", &mut conn, async |db| {
        q::scanned(db, &c, None).await
    })
    .await?;
    let c = cohort(&county, year);
    time("by agencies, 余姚, a year, scanned", &mut conn, async |db| {
        q::scanned(db, &c, Some(Breakdown::Agencies)).await
    })
    .await?;
    // The worker's tallies of every day loaded (each report marked its day stale); what follows reads them.
    let started = Instant::now();
    let mut marks = 0;
    loop {
        let taken = q::fold(&mut conn, 20_000).await?;
        if taken == 0 {
            break;
        }
        marks += taken;
    }
    println!("stats: tallied {marks} marks in {:.1?}", started.elapsed());
    sql(&mut conn, "ANALYZE issue_tallies").await?;
    sql(&mut conn, "ANALYZE issue_tally_times").await?;
    sql(&mut conn, "ANALYZE issue_tallies_stale").await?;

    // MINSHENG_BENCH_EXPLAIN=1 writes the tallied overview's statements as EXPLAIN ANALYZE files to /tmp, to run with
    // psql against the database MINSHENG_BENCH_KEEP=1 keeps.
    if std::env::var("MINSHENG_BENCH_EXPLAIN").is_ok_and(|v| v == "1") {
        let c = cohort(&everywhere, year);
        for (n, statement) in q::tallied_statements(&c, None).iter().enumerate() {
            std::fs::write(
                format!("/tmp/minsheng-tallied-{n}.sql"),
                format!("EXPLAIN ANALYZE {statement}"),
            )?;
        }
    }
    let c = cohort(&county, year);
    time("overview, 余姚, a year", &mut conn, async |db| {
        q::overview(db, &c).await
    })
    .await?;
    let c = cohort(&county, month);
    time("overview, 余姚, a month", &mut conn, async |db| {
        q::overview(db, &c).await
    })
    .await?;
    let c = cohort(&street, year);
    time("overview, 凤山街道, a year", &mut conn, async |db| {
        q::overview(db, &c).await
    })
    .await?;
    let c = cohort(&everywhere, year);
    time("overview, everywhere, a year (tallied)", &mut conn, async |db| {
        q::overview(db, &c).await
    })
    .await?;
    let c = cohort(&county, year);
    for by in [
        Breakdown::Agencies,
        Breakdown::Categories,
        Breakdown::Regions,
        Breakdown::Month,
    ] {
        let label = format!("by {by}, 余姚, a year");
        time(&label, &mut conn, async |db| q::figures(db, &c, Some(by)).await).await?;
    }
    time("hot spots: places, 余姚, a year", &mut conn, async |db| {
        q::places(db, &c).await
    })
    .await?;
    let step = CellSize::DEFAULT.latitude_step();
    time("hot spots: 500 m cells, 余姚, a year", &mut conn, async |db| {
        q::cells(db, &c, step, 10).await
    })
    .await?;
    let c = cohort(&county, month);
    time(
        "bulletin: representative issues, 余姚, a month",
        &mut conn,
        async |db| q::representative(db, &c, 3).await,
    )
    .await?;
    time("bulletin: overdue list, 余姚, a month", &mut conn, async |db| {
        q::overdue(db, &c, 200).await
    })
    .await?;
    time(
        "bulletin: spreadsheet rows, 余姚, a month (pages of 1,000)",
        &mut conn,
        async |db| {
            let (mut after, mut rows) = (q::RowKey::default(), 0usize);
            loop {
                let page = q::all_after(db, &c, &after, 1000).await?;
                rows += page.len();
                match page.last() {
                    Some(last) if page.len() == 1000 => after = q::RowKey::of(last),
                    _ => break Ok::<_, infra::db::DbError>(rows),
                }
            }
        },
    )
    .await?;
    let filter = PublicFilter {
        path_prefix: Some(yuyao.as_str().to_owned()),
        ..PublicFilter::default()
    };
    time("public results: first page of 20, 余姚", &mut conn, async |db| {
        q::public(db, &filter, None, 21, now).await
    })
    .await?;
    Ok(())
}

async fn count(conn: &mut AsyncPgConnection, statement: &str) -> anyhow::Result<i64> {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    Ok(diesel::sql_query(statement).get_result::<N>(conn).await?.n)
}

/// Runs `query` three times and prints the best (the first run also warms the cache).
async fn time<T, E>(
    label: &str,
    conn: &mut AsyncPgConnection,
    mut query: impl AsyncFnMut(&mut AsyncPgConnection) -> Result<T, E>,
) -> anyhow::Result<()>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let mut best = Elapsed::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        query(conn).await?;
        best = best.min(started.elapsed());
    }
    println!("stats: {label}: {best:.1?}");
    Ok(())
}

/// `n` issues reported over the year to 2026-11-25, three quarters in 余姚's three townships and a quarter in 北仑,
/// with the outcomes a working platform has: 6 % declined, 2 % waiting for triage, most replied (A 60 %,
/// B 20 %, C 5 % of all), half the replies rated, 3 % overdue now, 2 % reopened; working days to sign and to reply
/// spread as they would be. Set-based SQL: a million rows load in a minute or two.
/// `n` issues over the year before 2026-11-25, in batches, with a progress line. Ids are time-ordered (UUIDv7, as
/// the service makes them) and follow the report times, so the tables and indexes grow as they do in production.
const BATCH: i64 = 50_000;

/// A progress bar on one line: `[#####     ] 500000 / 1000000`.
fn progress(done: i64, all: i64) {
    use std::io::Write as _;
    let width = 40;
    let filled = usize::try_from(done * width / all.max(1)).unwrap_or(0);
    print!(
        "\r  [{}{}] {done} / {all} issues",
        "#".repeat(filled),
        " ".repeat(usize::try_from(width).unwrap_or(40).saturating_sub(filled))
    );
    let _ = std::io::stdout().flush();
}

pub async fn load(conn: &mut AsyncPgConnection, n: i64) -> anyhow::Result<()> {
    let end = Utc
        .with_ymd_and_hms(2026, 11, 25, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    sql(
        conn,
        "CREATE TEMP TABLE places AS SELECT r.code, r.path, s.id AS station, ord
           FROM (VALUES ('330281001', 0), ('330281002', 1), ('330281101', 2), ('330206001', 3)) v(code, ord)
           JOIN regions r ON r.code = v.code
           LEFT JOIN stations s ON s.region_code = r.code",
    )
    .await?;
    let mut first = 1;
    while first <= n {
        let batch = BATCH.min(n - first + 1);
        diesel::sql_query(
        format!(
        "INSERT INTO issues (id, number, region_code, region_path, station_id, reporter_id, reporter_role,
                             description, category_code, latitude, longitude, status, lead_agency_id, round,
                             reply_category, rating, last_seq, created_at, updated_at, closed_at,
                             accepted_at, routed_at, signed_at, replied_at, sign_days, reply_days, replied_same_day,
                             reply_late)
         SELECT {}, 'BENCH-' || g, p.code, p.path, p.station, u.id, 'deputy',
                '基准测试：' || c.code, c.code, 29.9 + random() * 0.3, 121.0 + random() * 0.9,
                o.status, CASE WHEN o.routed THEN a.id END, CASE WHEN r >= 0.5 AND r < 0.52 THEN 2 ELSE 1 END,
                o.reply, CASE WHEN o.reply IS NOT NULL AND random() < 0.5
                              THEN (ARRAY['satisfied', 'satisfied', 'satisfied', 'basically_satisfied',
                                          'dissatisfied'])[1 + floor(random() * 5)::int] END,
                0, t, t, CASE WHEN o.status = 'closed' THEN t + interval '9 days' END,
                CASE WHEN o.accepted THEN t + interval '1 hour' END,
                CASE WHEN o.routed THEN t + interval '2 hours' END,
                CASE WHEN o.signed THEN t + interval '5 hours' END,
                CASE WHEN o.reply IS NOT NULL THEN t + interval '4 days' END,
                CASE WHEN o.signed THEN round((random() * 1.5)::numeric, 1)::real END,
                CASE WHEN o.reply IS NOT NULL THEN round((random() * 12)::numeric, 1)::real END,
                coalesce(o.reply = 'A' AND random() < 0.2, false),
                CASE WHEN o.reply IS NOT NULL THEN random() < 0.1 WHEN o.overdue THEN true END
           FROM generate_series($3, $3 + $1 - 1) g
           CROSS JOIN LATERAL (SELECT random() AS r, $2 - (1 - g::float8 / $4) * interval '365 days' AS t,
                                      (g % 4)::int AS ord, (g % 7)::int AS cat) x
           JOIN places p ON p.ord = x.ord
           JOIN users u ON u.phone = '13900000011'
           JOIN LATERAL (SELECT code FROM categories ORDER BY code OFFSET x.cat % (SELECT count(*) FROM categories) LIMIT 1) c ON true
           JOIN LATERAL (SELECT id FROM agencies
                          WHERE (p.ord = 3) = (region_code = '330206') ORDER BY name LIMIT 1) a ON true
           CROSS JOIN LATERAL (SELECT
                CASE WHEN r < 0.06 THEN 'declined' WHEN r < 0.08 THEN 'submitted'
                     WHEN r < 0.10 THEN 'routed' WHEN r < 0.15 THEN 'in_progress' WHEN r < 0.50 THEN 'replied'
                     ELSE 'closed' END AS status,
                r >= 0.08 AS accepted,
                r >= 0.08 AS routed,
                r >= 0.10 AS signed,
                r >= 0.08 AND r < 0.11 AS overdue,
                CASE WHEN r < 0.15 THEN NULL WHEN r < 0.75 THEN 'A' WHEN r < 0.95 THEN 'B' ELSE 'C' END AS reply) o
",
            super::uuid_v7("t")
        ),
    )
    .bind::<BigInt, _>(batch)
    .bind::<Timestamptz, _>(end)
    .bind::<BigInt, _>(first)
    .bind::<BigInt, _>(n)
    .execute(conn)
    .await?;
        first += batch;
        progress(first - 1, n);
    }
    println!();
    // The overdue: open sign deadlines past due.
    diesel::sql_query(
        "INSERT INTO deadlines (id, issue_id, stage, round, agency_id, started_at, due_at, warn_at)
         SELECT gen_random_uuid(), id, 'sign', 1, lead_agency_id, routed_at, routed_at + interval '1 day',
                routed_at + interval '16 hours'
           FROM issues WHERE status = 'routed' AND reply_late",
    )
    .execute(conn)
    .await?;
    sql(conn, "ANALYZE issues").await?;
    sql(conn, "ANALYZE deadlines").await?;
    Ok(())
}
