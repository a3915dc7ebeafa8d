//! `http`: the running service under load beside the same SQL run raw. A year of issues is loaded (`stats::load`,
//! plus a timeline event and the agency link of every routed one); the release `minsheng` binary serves them as it
//! would in production; `oha` drives each endpoint and `pgbench` runs the SQL the endpoint runs, with the same
//! number of connections for the same time. Then mixed runs at fixed rates (70 % reads). The results are printed and
//! written to `docs/benchmarks.md` with the machine and the date.

use super::{sql, stats};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use minsheng_api::app::door::Holder;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use uuid::Uuid;

const PASSWORD: &str = "minsheng-demo-2026";
const STAFF: &str = "13900000001";
const DEPUTY: &str = "13900000011";
const HANDLER: &str = "13900000021";

/// One measured thing: the service's figures and the raw SQL's.
struct Row {
    name: String,
    service: Figures,
    raw: Option<Raw>,
}

/// What pgbench reports.
#[derive(Clone, Copy)]
struct Raw {
    per_second: f64,
    mean_ms: f64,
}

#[derive(Clone, Copy, Default)]
struct Figures {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

pub struct Settings<'a> {
    pub issues: i64,
    pub seconds: u64,
    pub connections: u32,
    pub rates: &'a [u32],
    pub report: &'a Path,
}

pub async fn measure(settings: &Settings<'_>, url: &str, prefix: &str) -> anyhow::Result<()> {
    let env = super::bench_env(url, prefix);
    let config = super::config(&env)?;
    infra::db::migrate::run(&config.database_url).await?;
    let state = minsheng_api::startup::state_with_clock(config, infra::clock::Clock::system())?;
    minsheng_api::seed::seed_demo(&state.db).await?;
    drop(state);
    let mut conn = AsyncPgConnection::establish(url).await?;
    let started = Instant::now();
    stats::load(&mut conn, settings.issues).await?;
    complete_the_load(&mut conn).await?;
    println!("http: loaded {} issues in {:.1?}", settings.issues, started.elapsed());

    let server = Server::start(url, prefix)?;
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let staff = sign_in(&http, &base, STAFF).await?;
    let deputy = sign_in(&http, &base, DEPUTY).await?;
    let handler = sign_in(&http, &base, HANDLER).await?;
    let picks = Picks::find(&mut conn).await?;
    let scratch = std::env::temp_dir().join(format!("minsheng-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let run = Runner {
        seconds: settings.seconds,
        connections: settings.connections,
        url,
        scratch: &scratch,
    };

    // The ceiling: what HTTP alone (no database, no token) does on this machine beside the load generator.
    let mut rows = vec![Row {
        name: "ceiling: GET /healthz (no database)".into(),
        service: run.oha(&format!("{base}/healthz"), "GET", &staff, None)?,
        raw: None,
    }];
    let listed = listed_columns()?;
    let report = json!({"description": "基准测试：新建路路灯不亮，晚上很黑。", "category_code": "streetlight"});
    let issue = &picks.issue;
    rows.push(Row {
        name: "get issue (GET /issues/{id})".into(),
        service: run.oha(&format!("{base}/api/v1/issues/{issue}"), "GET", &staff, None)?,
        raw: Some(run.pgbench("get", &format!("SELECT * FROM issues WHERE id = '{issue}';"))?),
    });
    let staff_caller = picks.caller(&mut conn, STAFF).await?;
    let handler_caller = picks.caller(&mut conn, HANDLER).await?;
    let in_mix_get = rows.len();
    rows.push(Row {
        name: "get issue: both of its statements, raw".into(),
        service: run.oha(&format!("{base}/api/v1/issues/{issue}"), "GET", &staff, None)?,
        raw: Some(run.pgbench(
            "get-all",
            &format!("{staff_caller}\n{};", fill(infra::db::issues::FOR_VIEW, &[issue])),
        )?),
    });
    let station = &picks.station;
    let in_mix_station = rows.len();
    rows.push(Row {
        name: "list 100 by station + status".into(),
        service: run.oha(
            &format!("{base}/api/v1/issues?station={station}&status=replied&limit=100"),
            "GET",
            &staff,
            None,
        )?,
        raw: Some(run.pgbench(
            "station",
            &format!(
                "{staff_caller}\nSELECT {listed} FROM issues WHERE region_path LIKE '/33/3302/330281/%' \
                 AND station_id = '{station}' AND status IN ('replied') ORDER BY id DESC LIMIT 101;"
            ),
        )?),
    });
    let agency = &picks.agency;
    let in_mix_agency = rows.len();
    rows.push(Row {
        name: "list 100 by agency + warning (red)".into(),
        service: run.oha(
            &format!("{base}/api/v1/issues?agency={agency}&warning=red&limit=100"),
            "GET",
            &staff,
            None,
        )?,
        raw: Some(run.pgbench(
            "agency",
            &format!(
                "{staff_caller}\nSELECT {listed} FROM issues WHERE region_path LIKE '/33/3302/330281/%' \
                 AND id IN (SELECT issue_id FROM issue_agencies WHERE agency_id = '{agency}') \
                 AND agency_due_at <= now() \
                 ORDER BY id DESC LIMIT 101;"
            ),
        )?),
    });
    let in_mix_inbox = rows.len();
    rows.push(Row {
        name: "inbox (GET /inbox, agency handler)".into(),
        service: run.oha(&format!("{base}/api/v1/inbox"), "GET", &handler, None)?,
        raw: Some(run.pgbench(
            "inbox",
            &format!(
                "{handler_caller}\n\
                 (SELECT 0, {listed} FROM issues WHERE lead_agency_id = '{agency}' AND issues.status IN ('routed') \
                 ORDER BY id DESC LIMIT 51) UNION ALL \
                 (SELECT 1, {listed} FROM issues WHERE lead_agency_id = '{agency}' AND issues.status IN ('signed', 'in_progress') \
                 ORDER BY id DESC LIMIT 51) UNION ALL \
                 (SELECT 3, {listed} FROM issues WHERE lead_agency_id = '{agency}' AND issues.status IN ('routed', 'signed', 'in_progress') \
                 AND id IN (SELECT issue_id FROM issue_events WHERE issue_events.kind = 'urge') ORDER BY id DESC LIMIT 51);\n\
                 SELECT 2, {listed} FROM issues WHERE lead_agency_id = '{agency}' AND agency_due_at <= now() \
                 ORDER BY id DESC LIMIT 51;"
            ),
        )?),
    });
    let overview = format!("{base}/api/v1/stats/overview?region=330281&from=2026-10-01&to=2026-10-31");
    let slow = Runner { connections: 2, ..run };
    rows.push(Row {
        name: "stats overview (余姚, a month)".into(),
        service: slow.oha(&overview, "GET", &staff, None)?,
        raw: Some(slow.pgbench("overview", &overview_sql()?)?),
    });

    // Reports last. What the service's add stays: new reports are part of the world the mixed run reads. What the
    // raw inserts add goes: tens of thousands of reports in seconds are no county's day, and newest-first lists
    // would have to step over them.
    let reported = run.oha(&format!("{base}/api/v1/issues"), "POST", &deputy, Some(&report))?;
    rows.push(Row {
        name: "create issue (POST /issues, JSON)".into(),
        service: reported,
        raw: Some(run.pgbench("insert", &picks.insert_sql())?),
    });
    let holder = signed_in(&mut conn, DEPUTY).await?;
    let (own, written) = report_raw(url, holder, settings.connections, settings.seconds).await?;
    let in_mix_report = rows.len();
    rows.push(Row {
        name: "create issue: its own statements, without HTTP".into(),
        service: reported,
        raw: Some(own),
    });
    sql(&mut conn, "DELETE FROM issues WHERE number LIKE 'RAW-%'").await?;
    for table in ["issue_events WHERE issue_id", "issues WHERE id"] {
        diesel::sql_query(format!("DELETE FROM {table} = ANY($1)"))
            .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(&written)
            .execute(&mut conn)
            .await?;
    }
    sql(&mut conn, "VACUUM ANALYZE issues").await?;

    let reads = [
        format!("{base}/api/v1/issues/{issue}"),
        format!("{base}/api/v1/issues?station={station}&status=replied&limit=100"),
        format!("{base}/api/v1/issues?agency={agency}&warning=red&limit=100"),
        format!("{base}/api/v1/inbox"),
    ];
    // What the mix would reach if the service cost nothing: each part at the rate its own statements run raw.
    let ceiling = mix_ceiling(
        &rows,
        &[in_mix_get, in_mix_station, in_mix_agency, in_mix_inbox],
        in_mix_report,
    );
    let mut mixed = Vec::new();
    for &rate in settings.rates {
        let create = format!("{base}/api/v1/issues");
        mixed.push((rate, run.mixed(&reads, &staff, &create, &deputy, &report, rate)?));
    }
    let (rss, peak) = server.memory();
    let statements = statements_per_request(&http, &base).await?;
    drop(server);
    let plans = plans(&mut conn, &scratch).await?;
    let _ = std::fs::remove_dir_all(&scratch);

    let postgres = pick(
        &mut conn,
        "SELECT 'PostgreSQL ' || current_setting('server_version') AS value",
    )
    .await?;
    let text = render(
        settings,
        &rows,
        (&mixed, ceiling),
        (rss, peak),
        &postgres,
        &statements,
        &plans,
    )?;
    println!("{text}");
    if let Some(folder) = settings.report.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(settings.report, &text)?;
    println!("written to {}", settings.report.display());
    Ok(())
}

/// Routed issues get their agency link and every issue its report event, as the loop would have written them.
async fn complete_the_load(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    sql(
        conn,
        "INSERT INTO issue_agencies (issue_id, agency_id, routed_at)
         SELECT id, lead_agency_id, routed_at FROM issues WHERE lead_agency_id IS NOT NULL",
    )
    .await?;
    sql(
        conn,
        "INSERT INTO issue_events (issue_id, seq, kind, actor_id, actor_role, to_status, internal, data, at, prev_hash, hash)
         SELECT id, 1, 'report', reporter_id, reporter_role, 'submitted', false,
                json_build_object('number', number, 'description', description)::text, created_at,
                '\\x00'::bytea, sha256(id::text::bytea)
           FROM issues",
    )
    .await?;
    sql(conn, "UPDATE issues SET last_seq = 1").await?;
    // The demo's housing bureau handles 余姚's streetlights: give it the open sign and reply deadlines of its issues.
    sql(
        conn,
        "UPDATE issues SET lead_agency_id = (SELECT id FROM agencies WHERE name = '余姚市住房和城乡建设局')
          WHERE lead_agency_id IS NOT NULL AND region_path LIKE '/33/3302/330281/%' AND category_code = 'streetlight'",
    )
    .await?;
    sql(
        conn,
        "UPDATE issue_agencies ia SET agency_id = i.lead_agency_id FROM issues i
          WHERE i.id = ia.issue_id AND i.category_code = 'streetlight' AND i.region_path LIKE '/33/3302/330281/%'",
    )
    .await?;
    sql(
        conn,
        "INSERT INTO deadlines (id, issue_id, stage, round, agency_id, started_at, due_at, warn_at)
         SELECT gen_random_uuid(), id, 'reply', 1, lead_agency_id, signed_at, signed_at + interval '15 days',
                signed_at + interval '12 days'
           FROM issues WHERE status IN ('signed', 'in_progress')",
    )
    .await?;
    // What autovacuum would have done by the time anyone asks: statistics and the visibility map.
    for table in ["issues", "issue_agencies", "issue_events", "deadlines"] {
        sql(conn, &format!("VACUUM ANALYZE {table}")).await?;
    }
    Ok(())
}

/// What a list reads of each issue, as the service writes it (`infra::db::issues::list`): a summary's columns and
/// its open deadlines.
fn listed_columns() -> anyhow::Result<String> {
    use diesel::{QueryDsl, SelectableHelper};
    use infra::db::{issues::SummaryRow, schema::issues};
    let select = diesel::debug_query::<diesel::pg::Pg, _>(&issues::table.select(SummaryRow::as_select())).to_string();
    // A raw script reading other columns than the service would not be its raw SQL: no fallback to `*`.
    let (columns, _) = select
        .strip_prefix("SELECT ")
        .and_then(|rest| rest.split_once(" FROM "))
        .ok_or_else(|| anyhow::anyhow!("diesel wrote a summary's SELECT unlike SELECT … FROM: {select}"))?;
    Ok(format!("{columns}, {}", infra::db::issues::OPEN_MOMENTS))
}

/// `statement` with its parameters (`$1`, `$2`, …) written in as literals, for pgbench.
fn fill(statement: &str, values: &[&str]) -> String {
    // From the last, so that `$1` does not take the front of `$10`.
    (1..=values.len()).rev().fold(statement.to_owned(), |text, n| {
        text.replace(&format!("${n}"), &format!("'{}'", values[n - 1]))
    })
}

/// The rows the endpoints ask for: an issue, a busy station, the agency with the most overdue work.
struct Picks {
    issue: String,
    station: String,
    agency: String,
    region_code: String,
    region_path: String,
    reporter: String,
}

#[derive(diesel::QueryableByName)]
struct Pick {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

async fn pick(conn: &mut AsyncPgConnection, query: &str) -> anyhow::Result<String> {
    let rows: Vec<Pick> = diesel::sql_query(query).load(conn).await?;
    rows.into_iter()
        .next()
        .map(|p| p.value)
        .ok_or_else(|| anyhow::anyhow!("nothing for {query}"))
}

impl Picks {
    async fn find(conn: &mut AsyncPgConnection) -> anyhow::Result<Self> {
        Ok(Picks {
            issue: pick(conn, "SELECT id::text AS value FROM issues WHERE region_path LIKE '/33/3302/330281/%' AND status = 'replied' ORDER BY id LIMIT 1").await?,
            station: pick(conn, "SELECT station_id::text AS value FROM issues WHERE station_id IS NOT NULL AND region_path LIKE '/33/3302/330281/%' GROUP BY station_id ORDER BY count(*) DESC LIMIT 1").await?,
            agency: pick(conn, "SELECT id::text AS value FROM agencies WHERE name = '余姚市住房和城乡建设局'").await?,
            region_code: "330281001".into(),
            region_path: pick(conn, "SELECT path AS value FROM regions WHERE code = '330281001'").await?,
            reporter: pick(conn, &format!("SELECT id::text AS value FROM users WHERE phone = '{DEPUTY}'")).await?,
        })
    }

    /// The statement that knows `phone`'s account as a caller (every signed-in request sends it first), with its
    /// latest session written in.
    async fn caller(&self, conn: &mut AsyncPgConnection, phone: &str) -> anyhow::Result<String> {
        let Holder { user, session } = signed_in(conn, phone).await?;
        Ok(format!(
            "{};",
            fill(infra::db::users::CALLER, &[&user.to_string(), &session.to_string()])
        ))
    }

    /// A single-row insert of an issue-sized row into the same table, with the same indexes, and a time-ordered id
    /// as the service makes (a random one would sort above every issue and slow the newest-first lists after it).
    fn insert_sql(&self) -> String {
        format!(
            "INSERT INTO issues (id, number, region_code, region_path, reporter_id, reporter_role, description, \
             category_code, status, last_seq, created_at, updated_at) VALUES ({}, \
             'RAW-' || gen_random_uuid(), '{}', '{}', '{}', 'deputy', '基准测试：新建路路灯不亮，晚上很黑。', \
             'streetlight', 'submitted', 1, now(), now());",
            super::uuid_v7("clock_timestamp()"),
            self.region_code,
            self.region_path,
            self.reporter
        )
    }
}

/// `phone`'s account and its latest session, as its token names them.
async fn signed_in(conn: &mut AsyncPgConnection, phone: &str) -> anyhow::Result<Holder> {
    let user = pick(
        conn,
        &format!("SELECT id::text AS value FROM users WHERE phone = '{phone}'"),
    )
    .await?;
    let session = pick(
        conn,
        &format!("SELECT id::text AS value FROM sessions WHERE user_id = '{user}' ORDER BY created_at DESC LIMIT 1"),
    )
    .await?;
    Ok(Holder {
        user: user.parse()?,
        session: session.parse()?,
    })
}

/// A report's own statements without HTTP: what a deputy's `POST /issues` sends to PostgreSQL — the door's caller,
/// the station, the number, then the transaction writing the issue and its first event — through the service's own
/// code (`app::door`, `app::issues::report`, on connections set up as the service's pool sets them up), on as many
/// connections as the load generator keeps, for the same time. pgbench cannot run them: most are written with
/// diesel's query builder, and a text of them kept here would be a second copy that drifts. Answers the figures and
/// the issues it wrote (for the caller to delete).
async fn report_raw(url: &str, holder: Holder, connections: u32, seconds: u64) -> anyhow::Result<(Raw, Vec<Uuid>)> {
    use domain::issue::report::{destination, Description, PhotoIds};
    use minsheng_api::app::issues::report::{number, place, write, Filing};
    let size = usize::try_from(connections)?;
    let pool = infra::db::pool::build(&url.to_owned().into(), size)?;
    let description =
        Description::parse("基准测试：新建路路灯不亮，晚上很黑。").map_err(|e| anyhow::anyhow!(e.message))?;
    let photos = PhotoIds::parse(Vec::new()).map_err(|e| anyhow::anyhow!(e.message))?;
    let until = Instant::now() + Duration::from_secs(seconds);
    let one = async || -> anyhow::Result<(u64, Duration, Vec<Uuid>)> {
        let (mut done, mut spent, mut ids) = (0, Duration::ZERO, Vec::new());
        let mut conn = infra::db::pool::conn(&pool).await?;
        while Instant::now() < until {
            let started = Instant::now();
            let failed = |e: minsheng_api::app::error::AppError| anyhow::anyhow!("a raw report failed: {e:?}");
            let admitted = minsheng_api::app::door::admitted(&conn, holder).await.map_err(failed)?;
            let actor = &admitted.actor;
            let to = destination(actor, None, None).map_err(|e| failed(e.into()))?;
            let filing = Filing {
                reporter: actor,
                place: place(&mut conn, actor, to).await.map_err(failed)?,
                title: None,
                description: &description,
                category_code: Some("streetlight"),
                point: None,
                address: None,
                photos: &photos,
                anonymous: false,
                needs_review: false,
                from_comment: None,
            };
            let (id, now) = (Uuid::now_v7(), chrono::Utc::now());
            let number = number(&mut conn, &filing.place, now).await.map_err(failed)?;
            conn.transaction(async |c| write(c, id, &number, &filing, now).await)
                .await
                .map_err(failed)?;
            spent += started.elapsed();
            done += 1;
            ids.push(id);
        }
        Ok((done, spent, ids))
    };
    let runs = futures_util::future::try_join_all((0..connections).map(|_| one())).await?;
    let done: u64 = runs.iter().map(|r| r.0).sum();
    let spent: Duration = runs.iter().map(|r| r.1).sum();
    #[allow(clippy::cast_precision_loss)]
    let raw = Raw {
        per_second: done as f64 / seconds as f64,
        mean_ms: spent.as_secs_f64() * 1000.0 / done.max(1) as f64,
    };
    Ok((raw, runs.into_iter().flat_map(|r| r.2).collect()))
}

/// The statistics overview's SQL as the service sends it, with the bench's region and month written in.
fn overview_sql() -> anyhow::Result<String> {
    use domain::stats::{Counted, Period, StatsScope};
    let scope = StatsScope {
        region: Some(domain::organisation::region::RegionPath::from_stored(
            "/33/3302/330281/".into(),
        )),
        counted: Counted::All,
    };
    let period = Period::parse(Some("2026-10-01"), Some("2026-10-31")).map_err(|e| anyhow::anyhow!(e.message))?;
    let cohort = infra::db::stats::Cohort {
        scope: &scope,
        period,
        now: chrono::Utc::now(),
    };
    Ok(format!("{};", infra::db::stats::overview_statement(&cohort)))
}

async fn sign_in(http: &reqwest::Client, base: &str, phone: &str) -> anyhow::Result<String> {
    let body: Value = http
        .post(format!("{base}/api/v1/auth/password"))
        .json(&json!({"phone": phone, "password": PASSWORD}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    body["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no token for {phone}"))
}

/// The release `minsheng` binary, serving the bench database.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(url: &str, prefix: &str) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let bin: PathBuf = exe.with_file_name("minsheng");
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(&bin)
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("MINSHENG_REDIS_PREFIX", prefix)
            .env("MINSHENG_BIND", format!("127.0.0.1:{port}"))
            .env("MINSHENG_JWT_SECRET", "bench-secret-bench-secret-bench-secret")
            .env("MINSHENG_WRITES_PER_MINUTE", "1000000")
            .env("MINSHENG_SIGNIN_LIMIT_PER_IP", "1000000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| anyhow::anyhow!("{} could not start: {e}", bin.display()))?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        anyhow::bail!("the service did not start")
    }

    /// Resident memory now and at its peak, in MB.
    fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                .map_or(0.0, |kb| kb / 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Clone, Copy)]
struct Runner<'a> {
    seconds: u64,
    connections: u32,
    url: &'a str,
    scratch: &'a Path,
}

/// The counts of a JSON object's entries whose key passes `keep`.
fn sum_where(counts: &Value, keep: impl Fn(&str) -> bool) -> u64 {
    counts.as_object().map_or(0, |m| {
        m.iter()
            .filter(|(k, _)| keep(k))
            .map(|(_, n)| n.as_u64().unwrap_or(0))
            .sum()
    })
}

impl Runner<'_> {
    /// `oha` against one URL for the run's time; a short warm-up first.
    fn oha(&self, url: &str, method: &str, token: &str, body: Option<&Value>) -> anyhow::Result<Figures> {
        let _ = self.oha_run(url, method, token, body, 1, None)?;
        self.oha_run(url, method, token, body, self.seconds, None)
    }

    fn oha_run(
        &self,
        url: &str,
        method: &str,
        token: &str,
        body: Option<&Value>,
        seconds: u64,
        rate: Option<u32>,
    ) -> anyhow::Result<Figures> {
        let mut cmd = Command::new("oha");
        cmd.args(["--no-tui", "--output-format", "json", "-z", &format!("{seconds}s")])
            .args(["-c", &self.connections.to_string(), "-m", method])
            .args(["-H", &format!("Authorization: Bearer {token}")]);
        if let Some(body) = body {
            cmd.args(["-T", "application/json", "-d", &body.to_string()]);
        }
        if let Some(rate) = rate {
            cmd.args(["-q", &rate.to_string(), "--latency-correction"]);
        }
        if url.contains('\n') {
            let file = self.scratch.join("urls.txt");
            std::fs::write(&file, url)?;
            cmd.arg("--urls-from-file").arg(&file);
        } else {
            cmd.arg(url);
        }
        let out = cmd.stderr(Stdio::inherit()).output()?;
        anyhow::ensure!(
            out.status.success(),
            "oha failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let report: Value = serde_json::from_slice(&out.stdout)?;
        let ms = |p: &str| report["latencyPercentiles"][p].as_f64().unwrap_or(f64::NAN) * 1000.0;
        // Requests still in flight when the run's time is up are cut off, not failed.
        let errors = sum_where(&report["statusCodeDistribution"], |code| !code.starts_with('2'))
            + sum_where(&report["errorDistribution"], |why| !why.contains("deadline"));
        Ok(Figures {
            per_second: report["summary"]["requestsPerSec"].as_f64().unwrap_or(0.0),
            p50_ms: ms("p50"),
            p99_ms: ms("p99"),
            errors,
        })
    }

    /// `pgbench` running `script` (prepared statements) for the run's time with as many connections. Its mean
    /// latency is the one it reports; its per-transaction log cannot give percentiles here (with more clients than
    /// threads it logs most transactions as taking 0 µs).
    fn pgbench(&self, name: &str, script: &str) -> anyhow::Result<Raw> {
        let file = self.scratch.join(format!("{name}.sql"));
        std::fs::write(&file, script)?;
        let out = Command::new("pgbench")
            // As the service's connections are set up (infra::db::pool).
            .env("PGOPTIONS", "-c jit=off")
            .args(["-n", "-M", "prepared", "-j", "2"])
            .args(["-c", &self.connections.to_string(), "-T", &self.seconds.to_string()])
            .arg("-f")
            .arg(&file)
            .arg(self.url)
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "pgbench failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let figure = |prefix: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        Ok(Raw {
            per_second: figure("tps = "),
            mean_ms: figure("latency average = "),
        })
    }

    /// Reads (70 %) and reports (30 %) at a fixed total rate, at the same time, with latency corrected for the
    /// requests a slow answer held back.
    fn mixed(
        &self,
        reads: &[String],
        reader: &str,
        create: &str,
        reporter: &str,
        report: &Value,
        rate: u32,
    ) -> anyhow::Result<(Figures, Figures)> {
        let read_rate = rate * READS_IN_TEN / 10;
        let write_rate = rate - read_rate;
        let writes = std::thread::scope(|s| {
            let writer =
                s.spawn(|| self.oha_run(create, "POST", reporter, Some(report), self.seconds, Some(write_rate)));
            let read = self.oha_run(&reads.join("\n"), "GET", reader, None, self.seconds, Some(read_rate));
            (read, writer.join())
        });
        let (read, write) = writes;
        let write = write.map_err(|_| anyhow::anyhow!("the writer thread failed"))??;
        Ok((read?, write))
    }
}

/// A mixed run: the rate asked, the reads' figures and the reports'.
type MixedRun = (u32, (Figures, Figures));

/// The mixed runs' reads in every ten requests (the rest are reports).
const READS_IN_TEN: u32 = 7;

/// The highest rate of the mixed runs' mix that PostgreSQL could serve on this machine if the service cost nothing:
/// each part at the rate its raw statements ran alone (`reads` spread evenly, as the mixed runs spread them).
fn mix_ceiling(rows: &[Row], reads: &[usize], report: usize) -> Option<f64> {
    let raw = |i: usize| rows.get(i).and_then(|r| r.raw).map(|r| r.per_second);
    let read_share = f64::from(READS_IN_TEN) / 10.0 / f64::from(u32::try_from(reads.len()).ok()?);
    // Seconds of the machine one request of the mix takes, were each part's raw rate the whole machine's.
    let reads: Option<f64> = reads.iter().map(|&i| raw(i).map(|r| read_share / r)).sum();
    Some(1.0 / (reads? + (1.0 - f64::from(READS_IN_TEN) / 10.0) / raw(report)?))
}

/// Per route: the sum, the count, and the cumulative buckets (bound, count).
type Histogram = (f64, f64, Vec<(String, f64)>);

/// The PostgreSQL statements per request the service counted (`db_statements_per_request`), by route: mean and
/// most, over every request of the run.
async fn statements_per_request(http: &reqwest::Client, base: &str) -> anyhow::Result<Vec<(String, f64, String)>> {
    let text = http.get(format!("{base}/metrics")).send().await?.text().await?;
    let mut by_route: std::collections::BTreeMap<String, Histogram> = std::collections::BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("db_statements_per_request")) {
        // Between the first `{` and the last `}`: route patterns have braces of their own.
        let (Some(labels), Some(value)) = (
            line.split_once('{')
                .and_then(|(_, r)| r.rsplit_once('}'))
                .map(|(l, _)| l),
            line.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()),
        ) else {
            continue;
        };
        let label = |name: &str| {
            labels
                .split(',')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=\"")))
                .map(|v| v.trim_end_matches('"').to_owned())
        };
        let (Some(method), Some(route)) = (label("method"), label("route")) else {
            continue;
        };
        let entry = by_route.entry(format!("{method} {route}")).or_default();
        if line.starts_with("db_statements_per_request_sum") {
            entry.0 = value;
        } else if line.starts_with("db_statements_per_request_count") {
            entry.1 = value;
        } else if let Some(le) = label("le") {
            entry.2.push((le, value));
        }
    }
    Ok(by_route
        .into_iter()
        .filter(|(_, (_, count, _))| *count > 0.0)
        .map(|(route, (sum, count, buckets))| {
            let most = buckets
                .iter()
                .find(|(_, n)| (*n - count).abs() < 0.5)
                .map_or_else(|| "?".to_owned(), |(le, _)| le.clone());
            (route, sum / count, most)
        })
        .collect())
}

/// Each raw script's statements under `EXPLAIN (ANALYZE, BUFFERS)`, summed: execution time and shared buffers
/// touched. Writes are rolled back.
async fn plans(conn: &mut AsyncPgConnection, scratch: &Path) -> anyhow::Result<Vec<(String, f64, i64)>> {
    #[derive(diesel::QueryableByName)]
    struct Plan {
        #[diesel(sql_type = diesel::sql_types::Json, column_name = "QUERY PLAN")]
        plan: Value,
    }
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(scratch)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sql") && !p.to_string_lossy().contains("mixed"))
        .collect();
    scripts.sort();
    let mut found = Vec::new();
    for script in scripts {
        let name = script
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&script)?;
        let (mut ms, mut buffers) = (0.0, 0_i64);
        sql(conn, "BEGIN").await?;
        for statement in text
            .split(";\n")
            .map(|s| s.trim().trim_end_matches(';'))
            .filter(|s| !s.is_empty())
        {
            let rows: Vec<Plan> = diesel::sql_query(format!("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement}"))
                .load(conn)
                .await?;
            if let Some(top) = rows.as_slice().first().and_then(|p| p.plan.get(0)) {
                ms += top["Execution Time"].as_f64().unwrap_or(0.0);
                let plan = &top["Plan"];
                buffers +=
                    plan["Shared Hit Blocks"].as_i64().unwrap_or(0) + plan["Shared Read Blocks"].as_i64().unwrap_or(0);
            }
        }
        sql(conn, "ROLLBACK").await?;
        found.push((name, ms, buffers));
    }
    Ok(found)
}

fn render(
    settings: &Settings<'_>,
    rows: &[Row],
    (mixed, ceiling): (&[MixedRun], Option<f64>),
    (rss, peak): (f64, f64),
    postgres: &str,
    statements: &[(String, f64, String)],
    plans: &[(String, f64, i64)],
) -> anyhow::Result<String> {
    let mut t = String::new();
    writeln!(t, "# Benchmarks")?;
    writeln!(t)?;
    writeln!(
        t,
        "The last run of `scripts/bench http --issues {} --seconds {} --connections {} --rates {}`, on {}.",
        settings.issues,
        settings.seconds,
        settings.connections,
        settings.rates.iter().map(u32::to_string).collect::<Vec<_>>().join(","),
        chrono::Utc::now().format("%Y-%m-%d")
    )?;
    writeln!(t)?;
    writeln!(t, "Machine: {}; {postgres}.", machine())?;
    writeln!(t)?;
    writeln!(
        t,
        "Each endpoint is driven by `oha` for {} s with {} connections (the statistics overview with 2); the raw column \
         is `pgbench` running the SQL that endpoint runs (prepared, the same connections and time) on the same \
         database — except a report's own statements, which the bench sends through the service's own code without \
         HTTP (most are written with diesel's query builder: no text to give pgbench). Load generator, service and \
         PostgreSQL share the machine's cores.",
        settings.seconds, settings.connections
    )?;
    writeln!(t)?;
    writeln!(
        t,
        "| endpoint | service req/s | p50 ms | p99 ms | raw SQL tx/s | raw mean ms | service / raw | service / floor |"
    )?;
    writeln!(t, "|---|---:|---:|---:|---:|---:|---:|---:|")?;
    // The floor: one bare statement fetching one issue by its key, the least any request that reads can cost.
    let floor = rows
        .iter()
        .find(|r| r.name.starts_with("get issue ("))
        .and_then(|r| r.raw)
        .map(|r| r.per_second);
    let of_floor = |v: f64| floor.map_or_else(String::new, |f| format!("{:.2}", v / f));
    for row in rows {
        let s = row.service;
        let errors = if s.errors > 0 {
            format!(" ({} non-2xx)", s.errors)
        } else {
            String::new()
        };
        match row.raw {
            Some(r) => writeln!(
                t,
                "| {}{errors} | {:.0} | {:.1} | {:.1} | {:.0} | {:.2} | {:.2} | {} |",
                row.name,
                s.per_second,
                s.p50_ms,
                s.p99_ms,
                r.per_second,
                r.mean_ms,
                s.per_second / r.per_second,
                of_floor(s.per_second)
            )?,
            None => writeln!(
                t,
                "| {}{errors} | {:.0} | {:.1} | {:.1} | | | | |",
                row.name, s.per_second, s.p50_ms, s.p99_ms
            )?,
        }
    }
    writeln!(t)?;
    writeln!(
        t,
        "Mixed at fixed rates, {} s each ({} % reads spread over get, both lists and a staff member's inbox; {} % \
         reports), latency corrected for coordinated omission (a request held back by a slow one counts from when it \
         should have been sent):",
        settings.seconds,
        READS_IN_TEN * 10,
        100 - READS_IN_TEN * 10
    )?;
    writeln!(t)?;
    writeln!(t, "| asked req/s | part | achieved req/s | p50 ms | p99 ms | non-2xx |")?;
    writeln!(t, "|---:|---|---:|---:|---:|---:|")?;
    for (rate, (reads, writes)) in mixed {
        for (name, f) in [("reads", reads), ("reports", writes)] {
            writeln!(
                t,
                "| {rate} | {name} | {:.0} | {:.1} | {:.1} | {} |",
                f.per_second, f.p50_ms, f.p99_ms, f.errors
            )?;
        }
    }
    writeln!(t)?;
    if let Some(ceiling) = ceiling {
        writeln!(
            t,
            "The mix's ceiling without the service: {ceiling:.0} requests/s — the rate this mix would reach if the \
             service cost nothing, each part at the rate its own statements ran raw above (the single issue's two \
             statements, the lists', the inbox's, a report's own), on this machine and database."
        )?;
        writeln!(t)?;
    }
    writeln!(
        t,
        "PostgreSQL statements per request, as the service counted them (`db_statements_per_request` on `/metrics`, \
         BEGIN and COMMIT included), over every request of the runs:"
    )?;
    writeln!(t)?;
    writeln!(t, "| request | mean | most |")?;
    writeln!(t, "|---|---:|---:|")?;
    for (route, mean, most) in statements {
        writeln!(t, "| {route} | {mean:.1} | {most} |")?;
    }
    writeln!(t)?;
    writeln!(
        t,
        "The raw scripts' plans at this volume, each statement under `EXPLAIN (ANALYZE, BUFFERS)` (writes rolled \
         back), summed:"
    )?;
    writeln!(t)?;
    writeln!(t, "| script | execution ms | shared buffers |")?;
    writeln!(t, "|---|---:|---:|")?;
    for (name, ms, buffers) in plans {
        writeln!(t, "| {name} | {ms:.2} | {buffers} |")?;
    }
    writeln!(t)?;
    writeln!(
        t,
        "Server memory after the runs: {rss:.0} MB resident, {peak:.0} MB at its peak."
    )?;
    Ok(t)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    let version = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    format!(
        "{cores} cores ({cpu}), {memory:.0} GiB; {}",
        version("redis-server", "--version")
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}
