//! Statistics at a province's size (issue #38 § 5): figures summed from the daily tallies are the figures of one scan
//! of the issues, on random data — while every day is stale, once the worker has tallied them, after random changes
//! have made some days stale again, and once those are tallied too.

use super::issues::lines;
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::RunQueryDsl;
use domain::organisation::region::RegionPath;
use domain::stats::{Breakdown, Counted, Figures, Period, StatsScope};
use infra::db::stats::{figures, scanned, Cohort};
use minsheng_api::worker::tally;
use minsheng_tests::TestApp;
use uuid::Uuid;

/// Random issues over the demo's regions (every level), categories and agencies, reported across half a year at
/// any hour (so local days and UTC days differ), in every state the facts can take; joins; open deadlines, some
/// past due at the moment the figures are taken.
fn random_issues(seed: f64, count: u32, offset: u32) -> String {
    format!(
        "SELECT setseed({seed});
         INSERT INTO issues (id, number, region_code, region_path, reporter_id, reporter_role, description,
                             category_code, status, lead_agency_id, round, reply_category, converted_at, rating,
                             last_seq, created_at, accepted_at, routed_at, sign_days, reply_days, replied_same_day,
                             reply_late)
         SELECT gen_random_uuid(), 'T' || (n + {offset}), r.code, r.path,
                (SELECT id FROM users ORDER BY id LIMIT 1), 'citizen', 'random',
                c.code, s.status, CASE WHEN s.status IN ('routed', 'signed', 'in_progress', 'replied') OR random() < 0.5
                                       THEN a.id END,
                1 + (random() * 2)::int,
                (ARRAY['A', 'B', 'C', NULL])[1 + (random() * 3)::int],
                CASE WHEN random() < 0.1 THEN now() END,
                (ARRAY['satisfied', 'basically_satisfied', 'dissatisfied', NULL, NULL])[1 + (random() * 4)::int],
                1, t.at,
                CASE WHEN random() < 0.8 THEN t.at END, CASE WHEN random() < 0.7 THEN t.at END,
                CASE WHEN random() < 0.6 THEN round((random() * 4)::numeric, 1) END,
                CASE WHEN random() < 0.5 THEN round((random() * 12)::numeric, 1) END,
                random() < 0.3,
                (ARRAY[true, false, NULL])[1 + (random() * 2)::int]
           FROM generate_series(1, {count}) AS n
          CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 00:00+08' + random() * interval '181 days' AS at,
                                     n AS k) t
          CROSS JOIN LATERAL (SELECT code, path FROM regions WHERE t.k > 0 ORDER BY random() LIMIT 1) r
          CROSS JOIN LATERAL (SELECT (SELECT code FROM categories WHERE t.k > 0 ORDER BY random() LIMIT 1)
                                     AS code) c
          CROSS JOIN LATERAL (SELECT id FROM agencies WHERE t.k > 0 ORDER BY random() LIMIT 1) a
          CROSS JOIN LATERAL (SELECT (ARRAY['submitted', 'accepted', 'declined', 'routed', 'signed', 'in_progress',
                                            'replied', 'reopened', 'closed'])[1 + (random() * 8)::int] AS status,
                                     t.k) s;
         UPDATE issues SET category_code = NULL WHERE number LIKE 'T%' AND random() < 0.05;
         INSERT INTO issue_joins (issue_id, user_id)
         SELECT i.id, u.id FROM issues i CROSS JOIN users u
          WHERE i.number LIKE 'T%' AND random() < 0.01 ON CONFLICT DO NOTHING;
         INSERT INTO deadlines (id, issue_id, stage, round, agency_id, started_at, due_at, warn_at)
         SELECT gen_random_uuid(), i.id, (ARRAY['sign', 'reply', 'rereply', 'rate'])[1 + (random() * 3)::int], 1,
                i.lead_agency_id, i.created_at, d.due, d.due
           FROM issues i
          CROSS JOIN LATERAL (SELECT i.created_at + random() * interval '150 days' AS due) d
          WHERE i.number LIKE 'T%' AND substr(i.number, 2)::int > {offset} AND random() < 0.3;
         ANALYZE issues, issue_joins, deadlines, regions, issue_tallies_stale"
    )
}

/// Random changes to a tenth of the issues, as commands make them: replies, ratings, lateness, a new round.
fn random_changes(seed: f64) -> String {
    format!(
        "SELECT setseed({seed});
         UPDATE issues SET reply_category = (ARRAY['A', 'B', 'C'])[1 + (random() * 2)::int],
                           reply_days = round((random() * 9)::numeric, 1), status = 'replied',
                           lead_agency_id = coalesce(lead_agency_id, (SELECT id FROM agencies LIMIT 1)),
                           reply_late = random() < 0.5
          WHERE number LIKE 'T%' AND random() < 0.05;
         UPDATE issues SET rating = 'dissatisfied', round = round + 1 WHERE number LIKE 'T%' AND random() < 0.05;
         DELETE FROM issue_joins WHERE random() < 0.3;
         UPDATE deadlines SET ended_at = now(), outcome = 'met' WHERE ended_at IS NULL AND random() < 0.2;
         ANALYZE issues, issue_joins, deadlines, issue_tallies_stale"
    )
}

async fn run(app: &TestApp, sql: &str) {
    let mut conn = infra::db::pool::conn(&app.state.db).await.expect("db");
    for statement in sql.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        diesel::sql_query(statement)
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a day")
}

/// The same figures: every count and duration count alike, percentiles alike, means within rounding.
fn same(tallied: &[(Option<String>, Figures)], scanned: &[(Option<String>, Figures)], what: &str) {
    assert_eq!(tallied.len(), scanned.len(), "{what}: rows");
    for ((tk, t), (sk, s)) in tallied.iter().zip(scanned) {
        assert_eq!(tk, sk, "{what}: keys");
        assert_eq!(t.counts, s.counts, "{what}: counts of {tk:?}");
        assert_eq!(t.rates, s.rates, "{what}: rates of {tk:?}");
        for (a, b) in [(t.times.to_sign, s.times.to_sign), (t.times.to_reply, s.times.to_reply)] {
            assert_eq!((a.count, a.p90), (b.count, b.p90), "{what}: times of {tk:?}");
            let (x, y) = (a.average.unwrap_or(0.0), b.average.unwrap_or(0.0));
            assert!((x - y).abs() <= 0.011, "{what}: mean of {tk:?}: {x} and {y}");
        }
    }
}

/// Compares tallies with the scan over regions at every height, an agency's issues, periods and breakdowns.
async fn compare(app: &TestApp, phase: &str) -> usize {
    let now: DateTime<Utc> = "2026-05-20T12:00:00+08:00".parse().expect("a moment");
    let agency = lines(app, "SELECT id::text AS line FROM agencies ORDER BY id LIMIT 1").await;
    let agency = Uuid::parse_str(&agency[0]).expect("an agency");
    let regions = [None, Some("/33/"), Some("/33/3302/"), Some("/33/3302/330206/")];
    let periods = [
        (None, None),
        (Some(day("2026-02-01")), Some(day("2026-03-31"))),
        (Some(day("2026-03-15")), Some(day("2026-03-15"))),
        (Some(day("2026-04-10")), None),
    ];
    let breakdowns = [
        None,
        Some(Breakdown::Agencies),
        Some(Breakdown::Categories),
        Some(Breakdown::Regions),
        Some(Breakdown::Month),
        Some(Breakdown::Week),
    ];
    let mut conn = infra::db::pool::conn(&app.state.db).await.expect("db");
    let mut compared = 0;
    for region in regions {
        for counted in [Counted::All, Counted::Agency(agency)] {
            let scope = StatsScope {
                region: region.map(|r| RegionPath::from_stored(r.to_owned())),
                counted: counted.clone(),
            };
            for (from, to) in periods {
                let cohort = Cohort {
                    scope: &scope,
                    period: Period { from, to },
                    now: now.with_timezone(&Utc),
                };
                for by in breakdowns {
                    let what = format!("{phase}: {region:?} {counted:?} {from:?}–{to:?} by {by:?}");
                    let t = figures(&mut conn, &cohort, by).await.expect(&what);
                    let s = scanned(&mut conn, &cohort, by).await.expect(&what);
                    same(&t, &s, &what);
                    compared += s.iter().filter(|(_, f)| f.counts.reported > 0).count();
                }
            }
        }
    }
    compared
}

#[tokio::test]
async fn figures_summed_from_tallies_are_the_scans_on_random_data_fresh_stale_or_both() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    // A seed of the moment (printed: a failure can be replayed by writing it in).
    let seed = f64::from(Utc::now().timestamp_subsec_millis()) / 1000.0;
    eprintln!("random seed {seed}");
    run(&app, &random_issues(seed, 2000, 0)).await;
    let stale = "SELECT count(*)::text AS line FROM issue_tallies_stale";
    let tallied = "SELECT count(*)::text AS line FROM issue_tallies";

    // Every day stale: the figures are the scan's, read through the tallies' statements.
    let rows = compare(&app, "all stale").await;
    assert!(rows > 100, "the comparison saw {rows} non-empty rows");

    // Tallied: no mark left, tallies written, the same figures.
    while tally(&app.state).await > 0 {}
    assert_eq!(lines(&app, stale).await, ["0"]);
    assert_ne!(lines(&app, tallied).await, ["0"]);
    compare(&app, "all tallied").await;

    // Changes and new issues: some days stale, the rest tallied.
    run(&app, &random_changes(seed)).await;
    run(&app, &random_issues(seed / 2.0, 200, 2000)).await;
    assert_ne!(lines(&app, stale).await, ["0"]);
    compare(&app, "some stale").await;

    while tally(&app.state).await > 0 {}
    compare(&app, "tallied again").await;
}
