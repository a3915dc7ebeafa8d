//! What each request no longer asks PostgreSQL for: the caller, known once at the door, and the reference data
//! (categories, routing rules, agencies, policies, the calendar), kept per process and renewed at once when another
//! instance changes it.

use crate::issues::{command, report, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use minsheng_tests::{assert_problem, TestApp};
use serde_json::json;

#[tokio::test]
async fn reference_data_changed_through_one_instance_holds_at_once_on_another() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let other = app.another_instance();
    let admin = app.admin_token().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;

    // Both instances have read the reference data: a report of an unknown category is refused on each.
    let flood = json!({"description": "城东小区地下车库进水，积水半米深。", "category_code": "flooding"});
    for instance in [&app, &other] {
        let refused = assert_problem(
            instance.post("/api/v1/issues", &deputy, &flood).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(refused["errors"][0]["code"], "unknown_category", "{refused}");
    }

    // The category and its routing rule are added through the other instance…
    let res = other
        .post(
            "/api/v1/categories",
            &admin,
            &json!({"code": "flooding", "name": "内涝积水"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
    let water = seed.agency("余姚市水利局").expect("seeded").to_string();
    let rule = json!({"region_code": "330281", "category_code": "flooding", "lead_agency_id": water});
    let res = other.post("/api/v1/routing-rules", &staff, &rule).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());

    // …and this one takes the report and suggests the new rule's agency at its very next request.
    let issue = report(&app, &deputy, &flood).await;
    let id = issue["id"].as_str().expect("id").to_owned();
    command(&app, &staff, &id, "accept", &json!({})).await;
    let viewed = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    assert_eq!(
        viewed["routing_suggestion"]["lead_agency_id"],
        water.as_str(),
        "{viewed}"
    );
    let routed = command(&app, &staff, &id, "route", &json!({})).await;
    assert_eq!(routed["lead_agency"]["name"], "余姚市水利局");

    // An agency disabled through the other instance is refused here at once.
    let res = other
        .patch(&format!("/api/v1/agencies/{water}"), &admin, &json!({"enabled": false}))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    let second = report(&app, &deputy, &flood).await;
    let second = second["id"].as_str().expect("id").to_owned();
    command(&app, &staff, &second, "accept", &json!({})).await;
    let refused = assert_problem(
        app.post(
            &format!("/api/v1/issues/{second}/route"),
            &staff,
            &json!({"lead_agency_id": water}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "lead_agency_id", "{refused}");
}

#[tokio::test]
async fn a_refused_token_claims_no_idempotency_key_and_counts_no_write() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_WRITES_PER_MINUTE".into(), "3".into());
    })
    .await;
    app.seed_demo().await;
    let tokens = app.sign_in_tokens(WANG_DEPUTY, PASSWORD).await;
    let ended = tokens["access_token"].as_str().expect("token").to_owned();
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&ended)
        .send()
        .await
        .expect("answers");
    assert!(res.status().is_success(), "signed out: {}", res.status());

    // Writes with the ended session's token: refused at the door, with nothing claimed or counted for the account.
    let body = json!({"description": "新建路南段的路灯坏了一个多星期。", "category_code": "streetlight"});
    for _ in 0..5 {
        let res = app
            .client
            .post(app.url("/api/v1/issues"))
            .bearer_auth(&ended)
            .header("Idempotency-Key", "report-after-logout")
            .json(&body)
            .send()
            .await
            .expect("answers");
        assert_problem(res, 401, "invalid_token").await;
    }

    // Signed in again, the same key is fresh and the account has its whole allowance of writes.
    let fresh = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    for n in 0..3 {
        let key = if n == 0 {
            "report-after-logout".to_owned()
        } else {
            format!("report-after-logout-{n}")
        };
        let res = app
            .client
            .post(app.url("/api/v1/issues"))
            .bearer_auth(&fresh)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .expect("answers");
        assert_eq!(res.status(), 201, "write {n} of 3");
        assert!(
            res.headers().get("idempotent-replayed").is_none(),
            "a new report, not a replay"
        );
    }
    let res = app
        .client
        .post(app.url("/api/v1/issues"))
        .bearer_auth(&fresh)
        .header("Idempotency-Key", "one-too-many")
        .json(&body)
        .send()
        .await
        .expect("answers");
    assert_problem(res, 429, "rate_limited").await;
    // A handler, a read: the door knows them too, and reads are not limited.
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    for _ in 0..5 {
        app.get_json("/api/v1/inbox", &housing).await;
    }
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                found.push((path, text));
            }
        }
    }
    found
}

/// The floors of the `api` crate point down only: the use cases (`app`) know nothing of HTTP or of the handlers
/// above them, and the worker reaches the use cases, never a handler. The compiler cannot hold a module to this, so
/// the sources are read.
#[test]
fn the_use_cases_and_the_worker_lean_on_nothing_above_them() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src");
    let above_app = [
        "crate::handlers",
        "crate::extract",
        "crate::idempotency",
        "crate::worker",
        "crate::routes",
        "crate::startup",
        "actix_web",
    ];
    let app = sources(&src.join("app"));
    assert!(app.len() >= 8, "the use cases are where they were: {}", app.len());
    let mut leaks = Vec::new();
    for (path, text) in &app {
        for (n, line) in text.lines().enumerate() {
            if above_app.iter().any(|name| line.contains(name)) && !line.trim_start().starts_with("//") {
                leaks.push(format!("{}:{}: {line}", path.display(), n + 1));
            }
        }
    }
    for (path, text) in sources(&src.join("worker")) {
        for (n, line) in text.lines().enumerate() {
            if line.contains("crate::handlers") {
                leaks.push(format!("{}:{}: {line}", path.display(), n + 1));
            }
        }
    }
    assert!(leaks.is_empty(), "arrows pointing up:\n{}", leaks.join("\n"));
}
