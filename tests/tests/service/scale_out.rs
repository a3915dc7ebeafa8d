//! Running on the engines a province runs (issue #38): a Redis Cluster whose master fails over in the middle of a run
//! of deadline steps, with two workers taking steps at once. What must hold is what a single undisturbed Redis gives:
//! every step taken, none twice — the same timeline, event for event, and the same notices.

use super::issues::{
    citizen, command, lines, picture, report, upload, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF,
};
use super::supervision::routed_issue;
use chrono::{DateTime, Utc};
use minsheng_api::worker::supervise;
use minsheng_tests::pgbouncer::PrivatePgBouncer;
use minsheng_tests::redis_ha::{PrivateRedisCluster, PrivateRedisSentinel};
use minsheng_tests::servers::PrivatePostgres;
use minsheng_tests::TestApp;
use std::time::{Duration, Instant};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
}

/// Hours the clock is moved through, an hour at a time: the sign deadlines' warnings, their passing, and two days of
/// escalations after.
const HOURS: u32 = 72;
/// 宁波's staff, whose reach holds 余姚's issues.
const NINGBO_STAFF: &str = "13900000002";
/// The hour at which the cluster loses the master that holds the schedule: the hour the sign deadlines pass
/// (Wednesday 00:00), so that hour's steps are claimed and taken while its replica takes over.
const FAILOVER_AT: u32 = 39;

/// The demo county on Monday 30 November 2026, 09:00, with `count` streetlight issues (`{label}{n}`) routed by
/// staff and the schedule built.
async fn routed_on_monday(app: &TestApp, count: u32, label: &str) {
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    app.state.clock.set(at("2026-11-30T09:00:00+08:00"));
    for n in 1..=count {
        routed_issue(app, &deputy, &staff, &format!("{label}{n}")).await;
    }
    supervise::rebuild(&app.state).await.expect("the schedule is built");
}

/// Every issue's timeline (`description: kind,kind,…`) and the notices, as the run left them.
async fn outcome(app: &TestApp) -> (Vec<String>, Vec<String>) {
    let timelines = lines(
        app,
        "SELECT i.description || ': ' || string_agg(e.kind, ',' ORDER BY e.seq) AS line \
         FROM issues i JOIN issue_events e ON e.issue_id = i.id GROUP BY i.id, i.description ORDER BY 1",
    )
    .await;
    let notices = lines(
        app,
        "SELECT i.description || ': ' || n.kind || ' → ' || u.phone || ' ×' || count(*) AS line \
         FROM notifications n JOIN issues i ON i.id = n.issue_id JOIN users u ON u.id = n.user_id \
         GROUP BY i.description, n.kind, u.phone ORDER BY 1",
    )
    .await;
    (timelines, notices)
}

/// Eight routed issues on Monday morning, then `HOURS` hours of deadline steps taken by two workers (the service's
/// own and a second instance's), `disturb` called before each hour's steps. Each hour's steps are taken until the
/// schedule answers and nothing more is due.
async fn run(app: &TestApp, mut disturb: impl FnMut(u32, &TestApp)) -> (Vec<String>, Vec<String>) {
    routed_on_monday(app, 8, "第处").await;
    let second = app.another_instance();
    for hour in 1..=HOURS {
        app.state.clock.advance(chrono::Duration::hours(1));
        disturb(hour, app);
        let started = Instant::now();
        loop {
            let (a, b) = tokio::join!(supervise::tick(&app.state), supervise::tick(&second.state));
            let answers = infra::schedule::Schedule::new(&app.state.redis).sizes().await.is_ok();
            if a + b == 0 && answers {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "hour {hour}: steps still failing"
            );
            if !answers {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    outcome(app).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_cluster_failing_over_under_two_workers_loses_no_deadline_step_and_takes_none_twice() {
    // The run as it goes on one undisturbed Redis (the shared server).
    let single = TestApp::spawn().await;
    let expected = run(&single, |_, _| {}).await;
    assert!(
        expected.0.iter().all(|t| t.contains("deadline-warn")) && expected.0.len() == 8,
        "the run takes steps worth checking: {expected:?}"
    );

    // The same on a cluster whose master holding the schedule dies as steps fall due, and comes back later.
    let mut cluster = PrivateRedisCluster::start();
    let url = cluster.url();
    let app = TestApp::spawn_with(|env| {
        env.insert("REDIS_URL".into(), url);
    })
    .await;
    let key = app.state.redis.tagged("schedule", "due");
    let mut killed = None;
    let got = run(&app, |hour, app| {
        if hour == FAILOVER_AT {
            let master = cluster.master_of(&key).expect("a master holds the schedule");
            cluster.kill(master);
            killed = Some(master);
        }
        if hour == FAILOVER_AT + 10 {
            let master = killed.expect("killed at the failover");
            cluster.restart(master);
            cluster.wait_until_whole();
            assert_ne!(cluster.master_of(&key), Some(master), "a replica took over");
        }
        let _ = app;
    })
    .await;
    assert!(killed.is_some());
    assert_eq!(got.0, expected.0, "every issue's timeline is the undisturbed run's");
    assert_eq!(got.1, expected.1, "and every notice, once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_sentinel_the_service_follows_a_failover_and_takes_every_step_once() {
    let watched = PrivateRedisSentinel::start();
    let url = watched.url();
    let app = TestApp::spawn_with(|env| {
        env.insert("REDIS_URL".into(), url);
    })
    .await;
    routed_on_monday(&app, 3, "第号").await;
    app.state.clock.set(at("2026-12-01T08:00:00+08:00"));
    assert_eq!(
        supervise::tick(&app.state).await,
        3,
        "the warnings, through the first master"
    );

    // The Sentinel moves the master; the old one is now a replica that refuses writes. The service's next command
    // meets READONLY, asks the Sentinel again, and goes on with the new master.
    let before = watched.master();
    watched.fail_over();
    assert_ne!(watched.master(), before);
    app.state.clock.set(at("2026-12-02T09:00:00+08:00"));
    let started = Instant::now();
    let mut acted = 0;
    while acted < 3 {
        acted += supervise::tick(&app.state).await;
        assert!(started.elapsed() < Duration::from_secs(30), "took {acted} of 3 steps");
    }
    assert_eq!(supervise::tick(&app.state).await, 0);
    let timelines = lines(
        &app,
        "SELECT string_agg(e.kind, ',' ORDER BY e.seq) AS line FROM issue_events e GROUP BY e.issue_id",
    )
    .await;
    assert_eq!(timelines.len(), 3);
    for t in &timelines {
        assert_eq!(t, "report,accept,route,deadline-warn,deadline-due", "{timelines:?}");
    }
    let ready = app.client.get(app.url("/readyz")).send().await.expect("answers");
    assert_eq!(ready.status(), 200);
}

/// Starts a private primary (migrated on a direct connection) and answers it with its URL.
async fn private_primary() -> PrivatePostgres {
    let pg = tokio::task::spawn_blocking(PrivatePostgres::start)
        .await
        .expect("started");
    infra::db::migrate::run(&secrecy::SecretString::from(pg.url()))
        .await
        .expect("the private database migrates");
    pg
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_pgbouncer_in_transaction_mode_the_loop_runs_with_its_prepared_statements_and_without_jit() {
    let pg = private_primary().await;
    // Two server connections for a pool of eight: every transaction may land on another server connection.
    let bouncer = PrivatePgBouncer::start(pg.port(), 2);
    let (through, direct) = (bouncer.url("minsheng"), pg.url());
    let app = TestApp::spawn_with(|env| {
        env.insert("DATABASE_URL".into(), through);
        env.insert("MINSHENG_MIGRATION_DATABASE_URL".into(), direct);
        env.insert("MINSHENG_DATABASE_POOL_SIZE".into(), "8".into());
        env.insert("MINSHENG_HTTP_WORKERS".into(), "2".into());
    })
    .await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    // Four clients at once, each reporting, routing and reading: statements prepared on one server connection are
    // executed on whichever the pooler hands out next.
    let runs = (0..4).map(|c| {
        let (app, deputy, staff, housing) = (&app, &deputy, &staff, &housing);
        async move {
            let mut ids = Vec::new();
            for n in 0..3 {
                ids.push(routed_issue(app, deputy, staff, &format!("客户{c}第{n}处")).await);
                app.get_json("/api/v1/inbox", housing).await;
                app.get_json("/api/v1/stats/overview", staff).await;
            }
            ids
        }
    });
    let ids: Vec<String> = futures_util::future::join_all(runs)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(ids.len(), 12);
    for id in &ids {
        let issue = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
        assert_eq!(issue["status"], "routed", "{issue}");
    }
    // Whatever server connection a session lands on, JIT is off: the database carries it, not the session.
    let settings = lines(&app, "SELECT current_setting('jit') AS line").await;
    assert_eq!(settings, ["off"]);
    assert_eq!(
        pg.psql("SELECT setting FROM pg_settings WHERE name = 'jit'"),
        "off",
        "a fresh direct session has it from the database"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_replica_answers_lagging_reads_and_whoever_just_wrote_reads_the_primary() {
    let primary = private_primary().await;
    // Blocking for the base backup is fine on this runtime's second thread.
    let replica = primary.replica();
    let with_bound = |seconds: &'static str| {
        let (primary, replica) = (primary.url(), replica.url());
        move |env: &mut std::collections::HashMap<String, String>| {
            env.insert("DATABASE_URL".into(), primary);
            env.insert("DATABASE_READ_URL".into(), replica);
            env.insert("MINSHENG_READ_MAX_LAG_SECONDS".into(), seconds.into());
        }
    };
    let app = TestApp::spawn_with(with_bound("600")).await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let city = app.sign_in(NINGBO_STAFF, PASSWORD).await;
    let reported = |figures: &serde_json::Value| figures["counts"]["reported"].as_u64().expect("reported");
    replica.catch_up_with(&primary);
    let before = reported(&app.get_json("/api/v1/stats/overview", &city).await);

    // The replica stops replaying (as one does that falls behind); a deputy reports and staff accept.
    let _ = replica.psql("SELECT pg_wal_replay_pause()");
    routed_issue(&app, &deputy, &staff, "复制延迟").await;
    // Staff, who just wrote, read their own write; the city's staff, who did not, read the replica's figure,
    // a moment old — within the bound the deployment allows.
    assert_eq!(
        reported(&app.get_json("/api/v1/stats/overview", &staff).await),
        before + 1
    );
    assert_eq!(
        reported(&app.get_json("/api/v1/stats/overview", &city).await),
        before,
        "stale within the bound"
    );

    // Another instance allows a second's lag only: past it, the replica is passed over and the primary answers.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let strict = TestApp::spawn_with(with_bound("1")).await;
    let city_there = strict.sign_in(NINGBO_STAFF, PASSWORD).await;
    assert_eq!(
        reported(&strict.get_json("/api/v1/stats/overview", &city_there).await),
        before + 1
    );

    // Replay resumes; once it has caught up, the replica answers with the new figure.
    let _ = replica.psql("SELECT pg_wal_replay_resume()");
    replica.catch_up_with(&primary);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        reported(&app.get_json("/api/v1/stats/overview", &city).await),
        before + 1
    );
    let metrics = app.metrics().await;
    assert!(metrics.contains("minsheng_db_replica_lag_seconds"), "metrics");
}

/// The value of the gauge line that starts with `series` (name and labels), if there is one.
fn gauge(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_show_what_an_operator_scales_on_for_every_process() {
    let app = TestApp::spawn().await;
    routed_on_monday(&app, 2, "第盏").await;

    // A worker on another machine: it reports its pools with its beat.
    let worker = app.another_instance();
    worker.state.metrics.set_role("worker");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(minsheng_api::worker::run(worker.state.clone(), stopped));
    let series = format!(
        "minsheng_db_pool_connections{{instance=\"{}\",pool=\"primary\",role=\"worker\",state=\"max\"}}",
        worker.state.metrics.instance()
    );
    let started = Instant::now();
    let mut metrics = app.metrics().await;
    while gauge(&metrics, &series).is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the worker's beat never showed: {metrics}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        metrics = app.metrics().await;
    }
    let _ = stop.send(true);
    running.await.expect("the worker stops");

    assert_eq!(gauge(&metrics, &series), Some(4.0), "the worker's pool of four");
    let own = format!(
        "minsheng_db_pool_connections{{instance=\"{}\",pool=\"primary\",role=\"serve+worker\",state=\"open\"}}",
        app.state.metrics.instance()
    );
    assert!(gauge(&metrics, &own).is_some_and(|n| n >= 1.0), "{metrics}");
    // Both sign deadlines wait on the schedule (claimed or not), none overdue at 09:00 on Monday.
    let waiting = gauge(&metrics, "minsheng_schedule_entries{state=\"due\"}").unwrap_or(0.0)
        + gauge(&metrics, "minsheng_schedule_entries{state=\"claimed\"}").unwrap_or(0.0);
    assert!((waiting - 2.0).abs() < f64::EPSILON, "{metrics}");
    assert_eq!(gauge(&metrics, "minsheng_schedule_lag_seconds"), Some(0.0));
    assert!(
        gauge(&metrics, "minsheng_outbox_messages{status=\"pending\"}").is_some(),
        "{metrics}"
    );
    assert_eq!(gauge(&metrics, "minsheng_outbox_messages{status=\"dead\"}"), Some(0.0));
    assert!(
        gauge(&metrics, "minsheng_db_replica_lag_seconds").is_none(),
        "no replica, no lag"
    );
}

/// The whole picture of `docs/scaling.md` at once: two API instances and two workers, behind them PgBouncer in
/// transaction mode before the primary, a streaming replica for lagging reads, a Redis Cluster and S3-compatible
/// photo storage. Reports with photos and commands go through both instances; the workers take the deadline steps as
/// they fall due. Every acknowledged write is there, no step is taken twice, every photo reads from either instance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_and_two_workers_on_the_provinces_engines_lose_nothing_and_do_nothing_twice() {
    let primary = private_primary().await;
    let replica = primary.replica();
    let bouncer = PrivatePgBouncer::start(primary.port(), 4);
    let cluster = PrivateRedisCluster::start();
    let s3 = minsheng_tests::servers::PrivateS3::start();
    let mut settings: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), bouncer.url("minsheng")),
        ("MINSHENG_MIGRATION_DATABASE_URL".into(), primary.url()),
        ("DATABASE_READ_URL".into(), replica.url()),
        ("REDIS_URL".into(), cluster.url()),
        ("MINSHENG_WORKER_TICK_MS".into(), "50".into()),
        ("MINSHENG_HTTP_WORKERS".into(), "2".into()),
    ];
    settings.extend(s3.env("province"));
    let fake = minsheng_tests::wechat::FakeWeChat::start().await;
    let a = TestApp::spawn_with_wechat(&fake, |env| env.extend(settings)).await;
    let b = a.another_instance();
    let seed = a.seed_demo().await;
    a.state.clock.set(at("2026-11-30T09:00:00+08:00"));
    let workers: Vec<TestApp> = (0..2).map(|_| a.another_instance()).collect();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running: Vec<_> = workers
        .iter()
        .map(|w| tokio::spawn(minsheng_api::worker::run(w.state.clone(), stopped.clone())))
        .collect();

    // Twelve citizens report through A and B in turn, each with a photo; staff accept and route through the other.
    let staff_a = a.sign_in(YUYAO_STAFF, PASSWORD).await;
    let staff_b = b.sign_in(YUYAO_STAFF, PASSWORD).await;
    let mut acknowledged = Vec::new();
    for n in 0..12u8 {
        let (here, there, staff) = if n % 2 == 0 {
            (&a, &b, &staff_b)
        } else {
            (&b, &a, &staff_a)
        };
        let who = citizen(here, &fake, &seed, &format!("province-{n}")).await;
        let photo: serde_json::Value = upload(here, &who, &picture(n), "p.jpg")
            .await
            .json()
            .await
            .expect("json");
        let photo_id = photo["id"].as_str().expect("a photo").to_owned();
        let issue = report(
            here,
            &who,
            &serde_json::json!({"description": format!("第{n}处：路灯不亮已经两周了。"),
                "category_code": "streetlight", "photo_ids": [photo_id]}),
        )
        .await;
        let id = issue["id"].as_str().expect("id").to_owned();
        command(there, staff, &id, "accept", &serde_json::json!({})).await;
        command(there, staff, &id, "route", &serde_json::json!({})).await;
        // The photo reads from the instance that did not take it.
        let bytes = there.get(&format!("/api/v1/photos/{photo_id}"), &who).await;
        assert_eq!(bytes.status(), 200);
        acknowledged.push(id);
    }

    // The sign deadlines turn yellow, pass and are escalated while both workers run.
    for day in [
        "2026-12-01T08:00:00+08:00",
        "2026-12-02T09:00:00+08:00",
        "2026-12-03T09:00:00+08:00",
    ] {
        a.state.clock.set(at(day));
        let started = Instant::now();
        while infra::schedule::Schedule::new(&a.state.redis)
            .sizes()
            .await
            .is_ok_and(|s| s.earliest.is_some_and(|e| e <= a.state.clock.now()) || s.claimed > 0)
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the workers fall behind on {day}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let _ = stop.send(true);
    for r in running {
        r.await.expect("a worker stops");
    }

    for id in &acknowledged {
        let issue = b.get_json(&format!("/api/v1/issues/{id}"), &staff_b).await;
        assert_eq!(issue["status"], "routed", "{issue}");
    }
    let timelines = lines(
        &a,
        "SELECT string_agg(kind, ',' ORDER BY seq) AS line FROM issue_events GROUP BY issue_id",
    )
    .await;
    assert_eq!(timelines.len(), acknowledged.len());
    for t in &timelines {
        assert_eq!(
            t, "report,accept,route,deadline-warn,deadline-due,deadline-escalate",
            "each step once: {timelines:?}"
        );
    }
}
