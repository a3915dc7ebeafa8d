//! The administration API, as an admin and a county's staff use it.

use minsheng_tests::{assert_problem, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};
use std::collections::HashSet;

async fn created(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 201, "expected 201 Created");
    assert!(res.headers().contains_key("location"));
    res.json().await.expect("json")
}

#[tokio::test]
async fn an_admin_builds_a_county_from_nothing_and_its_staff_sign_in() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;

    for (code, name, level, parent) in [
        ("33", "浙江省", "province", None),
        ("3302", "宁波市", "city", Some("33")),
        ("330281", "余姚市", "county", Some("3302")),
        ("330281001", "凤山街道", "township", Some("330281")),
    ] {
        let region = created(
            app.post(
                "/api/v1/regions",
                &admin,
                &json!({"code": code, "name": name, "level": level, "parent_code": parent}),
            )
            .await,
        )
        .await;
        assert_eq!(region["code"], code);
        assert_eq!(region["parent_code"], json!(parent));
    }
    created(
        app.post(
            "/api/v1/categories",
            &admin,
            &json!({"code": "road", "name": "道路交通"}),
        )
        .await,
    )
    .await;
    let sub = created(
        app.post(
            "/api/v1/categories",
            &admin,
            &json!({"code": "streetlight", "name": "路灯", "parent_code": "road"}),
        )
        .await,
    )
    .await;
    assert_eq!(sub["parent_code"], "road");
    // The tree is two levels deep: no category under a sub-category, none under itself, and one with
    // sub-categories stays top-level. Each refusal names parent_code.
    let too_deep = app
        .post(
            "/api/v1/categories",
            &admin,
            &json!({"code": "lamp_post", "name": "灯杆", "parent_code": "streetlight"}),
        )
        .await;
    let problem = assert_problem(too_deep, 422, "validation_failed").await;
    assert_eq!(problem["field"], "parent_code");
    assert_eq!(problem["errors"][0]["code"], "too_deep", "{problem}");
    let itself = app
        .patch("/api/v1/categories/road", &admin, &json!({"parent_code": "road"}))
        .await;
    assert_eq!(
        assert_problem(itself, 422, "validation_failed").await["field"],
        "parent_code"
    );
    created(
        app.post(
            "/api/v1/categories",
            &admin,
            &json!({"code": "public_works", "name": "市政设施"}),
        )
        .await,
    )
    .await;
    let has_children = app
        .patch(
            "/api/v1/categories/road",
            &admin,
            &json!({"parent_code": "public_works"}),
        )
        .await;
    let problem = assert_problem(has_children, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "has_children", "{problem}");
    let unknown = app
        .post(
            "/api/v1/categories",
            &admin,
            &json!({"code": "bridge", "name": "桥梁", "parent_code": "no_such"}),
        )
        .await;
    assert_eq!(assert_problem(unknown, 404, "not_found").await["field"], "parent_code");

    let station = created(
        app.post(
            "/api/v1/stations",
            &admin,
            &json!({"region_code": "330281001", "name": "凤山街道人大代表联络站", "address": "余姚市凤山街道新建北路88号",
                    "location": {"latitude": 30.0456, "longitude": 121.1523},
                    "reception_days": [{"every": "week", "weekday": 3}, {"every": "month", "day": 15}]}),
        )
        .await,
    )
    .await;
    assert_eq!(station["reception_days"][1], json!({"every": "month", "day": 15}));
    let agency = created(
        app.post("/api/v1/agencies", &admin, &json!({"region_code": "330281", "name": "余姚市住房和城乡建设局", "category_codes": ["streetlight", "road"]}))
            .await,
    )
    .await;
    assert_eq!(agency["category_codes"], json!(["road", "streetlight"]));

    let staff = created(
        app.post("/api/v1/users", &admin, &json!({"role": "staff", "name": "陈晓燕", "phone": "13900000001", "password": "staff-pass-2026", "region_code": "330281"}))
            .await,
    )
    .await;
    assert!(staff.get("password_hash").is_none() && staff.get("password").is_none());
    let handler = created(
        app.post("/api/v1/users", &admin, &json!({"role": "handler", "name": "赵磊", "phone": "13900000021", "password": "handler-pass-2026", "agency_id": agency["id"]}))
            .await,
    )
    .await;
    assert_eq!(handler["region_code"], "330281", "a handler's region is its agency's");
    let deputy = created(
        app.post(
            "/api/v1/users",
            &admin,
            &json!({"role": "deputy", "name": "王建国", "phone": "13900000011", "password": "deputy-pass-2026",
                    "region_code": "330281", "deputy_level": "county", "station_ids": [station["id"]]}),
        )
        .await,
    )
    .await;
    assert_eq!(deputy["station_ids"], json!([station["id"]]));
    // A deputy serves at least one station, each once, however the account is changed.
    let deputy_url = format!("/api/v1/users/{}", deputy["id"].as_str().expect("id"));
    let none = app.patch(&deputy_url, &admin, &json!({"station_ids": []})).await;
    let problem = assert_problem(none, 422, "validation_failed").await;
    assert_eq!(problem["field"], "station_ids");
    assert_eq!(problem["errors"][0]["code"], "required", "{problem}");
    let twice = app
        .patch_json(
            &deputy_url,
            &admin,
            &json!({"station_ids": [station["id"], station["id"]]}),
        )
        .await;
    assert_eq!(twice["station_ids"], json!([station["id"]]));

    // The staff member signs in and sees their county.
    let token = app.sign_in("13900000001", "staff-pass-2026").await;
    let me: Value = app.get_json("/api/v1/me", &token).await;
    assert_eq!(me["roles"], json!(["staff"]));
    assert_eq!(me["region"], json!({"code": "330281", "name": "余姚市"}));
    let regions: Value = app.get_json("/api/v1/regions", &token).await;
    let codes: Vec<&str> = regions["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert_eq!(codes, ["330281", "330281001"]);
}

#[tokio::test]
async fn lists_page_through_everything_once_with_cursors() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/regions?limit=4".to_owned();
    loop {
        let page: Value = app.get_json(&path, &admin).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 4);
        seen.extend(items.iter().map(|r| r["code"].as_str().expect("code").to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/regions?limit=4&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 14, "the demo has 14 regions");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 14, "no region twice");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "ordered by code");

    let users: Value = app.get_json("/api/v1/users?role=handler&limit=3", &admin).await;
    assert_eq!(users["items"].as_array().expect("items").len(), 3);
    let cursor = users["next_cursor"].as_str().expect("more than three handlers exist");
    let rest: Value = app
        .get_json(&format!("/api/v1/users?role=handler&limit=3&cursor={cursor}"), &admin)
        .await;
    assert_eq!(
        rest["items"].as_array().expect("items").len(),
        2,
        "the demo has five handlers"
    );
    assert!(rest["next_cursor"].is_null());
}

#[tokio::test]
async fn filters_narrow_lists() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let admin = app.admin_token().await;
    let children: Value = app.get_json("/api/v1/regions?parent=330281", &admin).await;
    let codes: Vec<&str> = children["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert_eq!(codes, ["330281001", "330281002", "330281101"]);
    let villages: Value = app.get_json("/api/v1/regions?level=village&limit=100", &admin).await;
    assert_eq!(villages["items"].as_array().expect("items").len(), 6);
    let water: Value = app.get_json("/api/v1/agencies?category=water_outage", &admin).await;
    let names: Vec<&str> = water["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(names, ["余姚市水利局"]);
    let beilun: Value = app.get_json("/api/v1/stations?region=330206", &admin).await;
    assert_eq!(beilun["items"].as_array().expect("items").len(), 1);
    let fengshan = seed.station("凤山街道人大代表联络站").expect("seeded");
    let deputies: Value = app.get_json(&format!("/api/v1/users?station={fengshan}"), &admin).await;
    let names: HashSet<&str> = deputies["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert_eq!(names, HashSet::from(["王建国", "张伟"]));
}

#[tokio::test]
async fn updates_change_only_what_is_sent_and_null_clears() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let station = seed.station("阳明街道代表之家").expect("seeded");
    let path = format!("/api/v1/stations/{station}");
    let before: Value = app.get_json(&path, &staff).await;
    let after: Value = app
        .patch_json(&path, &staff, &json!({"address": "余姚市阳明街道舜水南路20号"}))
        .await;
    assert_eq!(after["address"], "余姚市阳明街道舜水南路20号");
    assert_eq!(after["name"], before["name"]);
    assert_eq!(after["location"], before["location"]);
    let cleared: Value = app.patch_json(&path, &staff, &json!({"location": null})).await;
    assert!(cleared["location"].is_null());
    assert_eq!(cleared["address"], "余姚市阳明街道舜水南路20号");

    let renamed: Value = app
        .patch_json("/api/v1/regions/330281002", &staff, &json!({"name": "阳明街道（新）"}))
        .await;
    assert_eq!(renamed["name"], "阳明街道（新）");
    let agency = seed.agency("余姚市水利局").expect("seeded");
    let changed: Value = app
        .patch(
            &format!("/api/v1/agencies/{agency}"),
            &staff,
            &json!({"category_codes": ["drainage"]}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(changed["category_codes"], json!(["drainage"]));
    assert_eq!(changed["name"], "余姚市水利局");
}

#[tokio::test]
async fn a_disabled_account_is_refused_at_once_whatever_token_it_holds() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let handler_token = app.sign_in("13900000022", DEMO_PASSWORD).await;
    assert_eq!(app.get("/api/v1/me", &handler_token).await.status(), 200);
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let handler = seed.account("13900000022").expect("seeded");
    let res = app
        .patch(&format!("/api/v1/users/{handler}"), &staff, &json!({"enabled": false}))
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(app.get("/api/v1/me", &handler_token).await, 401, "account_disabled").await;
    let res = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/password",
            None,
            Some(&json!({"phone": "13900000022", "password": DEMO_PASSWORD})),
        )
        .await;
    assert_problem(res, 401, "account_disabled").await;
}

#[tokio::test]
async fn a_changed_password_signs_in_and_the_old_one_does_not() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let admin = app.admin_token().await;
    let deputy = seed.account("13900000011").expect("seeded");
    let res = app
        .patch(
            &format!("/api/v1/users/{deputy}"),
            &admin,
            &json!({"password": "short"}),
        )
        .await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["field"], "password");
    let res = app
        .patch(
            &format!("/api/v1/users/{deputy}"),
            &admin,
            &json!({"password": "new-deputy-pass-1"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    app.sign_in("13900000011", "new-deputy-pass-1").await;
    let old = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/password",
            None,
            Some(&json!({"phone": "13900000011", "password": DEMO_PASSWORD})),
        )
        .await;
    assert_problem(old, 401, "invalid_credentials").await;
}
