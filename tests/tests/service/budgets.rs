//! What a request costs in trips to PostgreSQL, read from the service's own `/metrics`
//! (`db_statements_per_request{method,route}`, BEGIN and COMMIT included), against the budgets of issue #20.

use crate::issues::{command, report, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use minsheng_tests::TestApp;
use serde_json::json;

/// The cumulative buckets (upper bound, count) and the count of `method route` in a `/metrics` text.
fn histogram(metrics: &str, method: &str, route: &str) -> (Vec<(String, u64)>, u64) {
    let labels = format!("method=\"{method}\",route=\"{route}\"");
    let mut buckets = Vec::new();
    let mut count = 0;
    for line in metrics
        .lines()
        .filter(|l| l.starts_with("db_statements_per_request") && l.contains(&labels))
    {
        let Some((name, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let Ok(value) = value.parse::<u64>() else { continue };
        if name.starts_with("db_statements_per_request_count") {
            count = value;
        } else if let Some(le) = name.split("le=\"").nth(1).and_then(|r| r.split('"').next()) {
            buckets.push((le.to_owned(), value));
        }
    }
    (buckets, count)
}

/// The most statements any one request of `method route` sent between two readings of `/metrics`: the smallest
/// bucket bound that holds every request counted in between.
fn most_between(before: &str, after: &str, method: &str, route: &str) -> Option<f64> {
    let (earlier, n0) = histogram(before, method, route);
    let (later, n1) = histogram(after, method, route);
    let counted = n1.checked_sub(n0).filter(|n| *n > 0)?;
    later.iter().find_map(|(le, n)| {
        let was = earlier.iter().find(|(l, _)| l == le).map_or(0, |(_, n)| *n);
        (n - was == counted).then(|| le.parse().ok()).flatten()
    })
}

#[tokio::test]
async fn the_hot_requests_stay_within_their_statement_budgets() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let housing_id = seed.agency("余姚市住房和城乡建设局").expect("seeded");
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;

    // The loop's hot requests: once to warm the process (its first request reads the reference data, each
    // connection prepares its statements), then measured.
    let mut before = String::new();
    for n in 0..4 {
        if n == 1 {
            before = app.metrics().await;
        }
        let issue = report(
            &app,
            &deputy,
            &json!({"description": format!("新建路南段第{n}盏路灯不亮，晚上很黑。"), "category_code": "streetlight"}),
        )
        .await;
        let id = issue["id"].as_str().expect("id").to_owned();
        app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
        app.get_json("/api/v1/issues?status=submitted", &staff).await;
        app.get_json(&format!("/api/v1/issues?agency={housing_id}&warning=red"), &staff)
            .await;
        app.get_json("/api/v1/issues?region=330281&status=routed", &staff).await;
        command(&app, &staff, &id, "accept", &json!({})).await;
        command(&app, &staff, &id, "route", &json!({"note": "请尽快修复"})).await;
        app.get_json("/api/v1/inbox", &housing).await;
        app.get_json(&format!("/api/v1/issues/{id}"), &housing).await;
        command(&app, &housing, &id, "sign", &json!({})).await;
        command(&app, &deputy, &id, "urge", &json!({"note": "请尽快处理"})).await;
        command(
            &app,
            &housing,
            &id,
            "reply",
            &json!({"category": "A", "reply": "已更换灯杆和线路，路灯恢复照明。"}),
        )
        .await;
        command(&app, &deputy, &id, "ratings", &json!({"rating": "satisfied"})).await;
    }

    let after = app.metrics().await;
    let budgets = [
        ("GET", "/api/v1/issues/{id}", 3.0),
        ("GET", "/api/v1/issues", 3.0),
        ("POST", "/api/v1/issues", 10.0),
        ("POST", "/api/v1/issues/{id}/accept", 10.0),
        ("POST", "/api/v1/issues/{id}/route", 10.0),
        ("POST", "/api/v1/issues/{id}/sign", 10.0),
        ("POST", "/api/v1/issues/{id}/urge", 10.0),
        ("POST", "/api/v1/issues/{id}/reply", 10.0),
        ("POST", "/api/v1/issues/{id}/ratings", 10.0),
        ("GET", "/api/v1/inbox", 4.0),
    ];
    let mut over = Vec::new();
    for (method, route, budget) in budgets {
        let most = most_between(&before, &after, method, route)
            .unwrap_or_else(|| panic!("{method} {route} is measured:\n{after}"));
        eprintln!("{method} {route}: at most {most} statements (budget {budget})");
        if most > budget {
            over.push(format!("{method} {route}: {most} > {budget}"));
        }
    }
    assert!(over.is_empty(), "over budget: {over:?}");
}
