//! Running on the engines a province runs (issue #38): a Redis Cluster whose master fails over in the middle of a run
//! of deadline steps, with two workers taking steps at once. What must hold is what a single undisturbed Redis gives:
//! every step taken, none twice — the same timeline, event for event, and the same notices.

use super::issues::{lines, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use super::supervision::routed_issue;
use chrono::{DateTime, Utc};
use minsheng_api::worker::supervise;
use minsheng_tests::redis_ha::{PrivateRedisCluster, PrivateRedisSentinel};
use minsheng_tests::TestApp;
use std::time::{Duration, Instant};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
}

/// Hours the clock is moved through, an hour at a time: the sign deadlines' warnings, their passing, and two days of
/// escalations after.
const HOURS: u32 = 72;
/// The hour at which the cluster loses the master that holds the schedule: the hour the sign deadlines pass
/// (Wednesday 00:00), so that hour's steps are claimed and taken while its replica takes over.
const FAILOVER_AT: u32 = 39;

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
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    app.state.clock.set(at("2026-11-30T09:00:00+08:00"));
    for n in 1..=8 {
        routed_issue(app, &deputy, &staff, &format!("第{n}处")).await;
    }
    supervise::rebuild(&app.state).await.expect("the schedule is built");
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
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    app.state.clock.set(at("2026-11-30T09:00:00+08:00"));
    for n in 1..=3 {
        routed_issue(&app, &deputy, &staff, &format!("第{n}号")).await;
    }
    supervise::rebuild(&app.state).await.expect("the schedule is built");
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
