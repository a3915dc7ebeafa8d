//! Staff of one county cannot see or change another's; other roles administer nothing.
//! Outside one's reach a thing does not exist (404); inside it but not allowed, 403.

use minsheng_tests::{assert_problem, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};

const YUYAO_STAFF: &str = "13900000001";
const FENGSHAN_STAFF: &str = "13900000002";
const BEILUN_STAFF: &str = "13900000003";

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn staff_of_one_county_cannot_see_another_countys_organisation() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let yuyao = app.sign_in(YUYAO_STAFF, DEMO_PASSWORD).await;
    let beilun_station = seed.station("新碶街道人大代表联络站").expect("seeded");
    let beilun_agency = seed.agency("北仑区住房和城乡建设局").expect("seeded");
    let beilun_handler = seed.account("13900000024").expect("seeded");

    assert_problem(
        app.get(&format!("/api/v1/stations/{beilun_station}"), &yuyao).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/agencies/{beilun_agency}"), &yuyao).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/users/{beilun_handler}"), &yuyao).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get("/api/v1/regions/330206", &yuyao).await, 404, "not_found").await;
    assert_problem(
        app.get("/api/v1/stations?region=330206", &yuyao).await,
        404,
        "not_found",
    )
    .await;

    let stations: Value = app.get_json("/api/v1/stations?limit=100", &yuyao).await;
    assert!(!names(&stations).iter().any(|n| n.contains("新碶")), "{stations}");
    assert_eq!(names(&stations).len(), 3);
    let agencies: Value = app.get_json("/api/v1/agencies?limit=100", &yuyao).await;
    assert!(!names(&agencies).iter().any(|n| n.contains("北仑")));
    let users: Value = app.get_json("/api/v1/users?limit=100", &yuyao).await;
    let phones: Vec<&str> = users["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["phone"].as_str())
        .collect();
    assert!(
        !phones.contains(&"13900000024") && !phones.contains(&"13900000003"),
        "no 北仑 accounts: {phones:?}"
    );
    assert!(!phones.contains(&"13900000000"), "no admin accounts");
    assert!(!phones.contains(&"13900000013"), "a city deputy lies above the county");
    let regions: Value = app.get_json("/api/v1/regions?limit=100", &yuyao).await;
    assert!(regions["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|r| r["code"].as_str().is_some_and(|c| c.starts_with("330281"))));

    // And the other way round.
    let beilun = app.sign_in(BEILUN_STAFF, DEMO_PASSWORD).await;
    let yuyao_station = seed
        .stations
        .iter()
        .find(|s| s.region_code == "330281001")
        .expect("seeded")
        .id;
    assert_problem(
        app.get(&format!("/api/v1/stations/{yuyao_station}"), &beilun).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn staff_of_one_county_cannot_change_another_countys_organisation() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let yuyao = app.sign_in(YUYAO_STAFF, DEMO_PASSWORD).await;
    let beilun_station = seed.station("新碶街道人大代表联络站").expect("seeded");
    let beilun_agency = seed.agency("北仑区住房和城乡建设局").expect("seeded");
    let beilun_handler = seed.account("13900000024").expect("seeded");

    for (path, change) in [
        (format!("/api/v1/stations/{beilun_station}"), json!({"name": "改名"})),
        (format!("/api/v1/agencies/{beilun_agency}"), json!({"enabled": false})),
        (format!("/api/v1/users/{beilun_handler}"), json!({"enabled": false})),
        ("/api/v1/regions/330206001".to_owned(), json!({"name": "改名"})),
    ] {
        assert_problem(app.patch(&path, &yuyao, &change).await, 404, "not_found").await;
    }
    let res = app
        .post(
            "/api/v1/stations",
            &yuyao,
            &json!({"region_code": "330206001", "name": "越界站", "address": "北仑"}),
        )
        .await;
    assert_eq!(assert_problem(res, 404, "not_found").await["field"], "region_code");
    let res = app
        .post("/api/v1/users", &yuyao, &json!({"role": "staff", "name": "越界", "phone": "13911110000", "password": "staff-pass-2026", "region_code": "330206"}))
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = app
        .post("/api/v1/users", &yuyao, &json!({"role": "handler", "name": "越界", "phone": "13911110001", "password": "handler-pass-2026", "agency_id": beilun_agency}))
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = app
        .post(
            "/api/v1/regions",
            &yuyao,
            &json!({"code": "330206001002", "name": "越界社区", "level": "village", "parent_code": "330206001"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;

    // Nothing changed.
    let admin = app.admin_token().await;
    let station: Value = app
        .get_json(&format!("/api/v1/stations/{beilun_station}"), &admin)
        .await;
    assert_eq!(station["name"], "新碶街道人大代表联络站");
    let handler: Value = app.get_json(&format!("/api/v1/users/{beilun_handler}"), &admin).await;
    assert_eq!(handler["enabled"], true);
}

#[tokio::test]
async fn staff_work_below_their_own_region_and_never_grant_admin() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let yuyao = app.sign_in(YUYAO_STAFF, DEMO_PASSWORD).await;
    assert_problem(
        app.patch("/api/v1/regions/330281", &yuyao, &json!({"name": "余姚"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            "/api/v1/regions",
            &yuyao,
            &json!({"code": "34", "name": "安徽省", "level": "province"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .post(
            "/api/v1/users",
            &yuyao,
            &json!({"role": "admin", "name": "提权", "phone": "13911110002", "password": "admin-pass-2026"}),
        )
        .await;
    assert_problem(res, 403, "forbidden").await;
    assert_problem(
        app.post("/api/v1/categories", &yuyao, &json!({"code": "mine", "name": "我的"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.patch("/api/v1/categories/road", &yuyao, &json!({"name": "路"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let admin_id = seed.account("13900000000").expect("seeded");
    assert_problem(
        app.patch(&format!("/api/v1/users/{admin_id}"), &yuyao, &json!({"enabled": false}))
            .await,
        404,
        "not_found",
    )
    .await;

    // Inside their subtree they may add a village and a deputy serving at a station there.
    let res = app
        .post(
            "/api/v1/regions",
            &yuyao,
            &json!({"code": "330281001003", "name": "北门社区", "level": "village", "parent_code": "330281001"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let fengshan = seed.station("凤山街道人大代表联络站").expect("seeded");
    let res = app
        .post(
            "/api/v1/users",
            &yuyao,
            &json!({"role": "deputy", "name": "新代表", "phone": "13911110003", "password": "deputy-pass-2026",
                    "region_code": "330281001", "deputy_level": "township", "station_ids": [fengshan]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    // A deputy of 阳明 cannot be placed at a 凤山 station.
    let res = app
        .post(
            "/api/v1/users",
            &yuyao,
            &json!({"role": "deputy", "name": "错站代表", "phone": "13911110004", "password": "deputy-pass-2026",
                    "region_code": "330281002", "deputy_level": "township", "station_ids": [fengshan]}),
        )
        .await;
    assert_eq!(
        assert_problem(res, 422, "validation_failed").await["errors"][0]["code"],
        "outside_region"
    );
}

#[tokio::test]
async fn township_staff_see_only_their_township() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let fengshan = app.sign_in(FENGSHAN_STAFF, DEMO_PASSWORD).await;
    let stations: Value = app.get_json("/api/v1/stations", &fengshan).await;
    assert_eq!(names(&stations), ["凤山街道人大代表联络站"]);
    assert_problem(app.get("/api/v1/regions/330281", &fengshan).await, 404, "not_found").await;
    assert_problem(app.get("/api/v1/regions/330281002", &fengshan).await, 404, "not_found").await;
}

#[tokio::test]
async fn deputies_and_handlers_administer_nothing() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    for phone in ["13900000011", "13900000021"] {
        let token = app.sign_in(phone, DEMO_PASSWORD).await;
        for path in [
            "/api/v1/regions",
            "/api/v1/stations",
            "/api/v1/agencies",
            "/api/v1/users",
        ] {
            assert_problem(app.get(path, &token).await, 403, "forbidden").await;
        }
        let res = app
            .post(
                "/api/v1/stations",
                &token,
                &json!({"region_code": "330281001", "name": "站", "address": "路"}),
            )
            .await;
        assert_problem(res, 403, "forbidden").await;
        // Categories are readable by everyone signed in.
        assert_eq!(app.get("/api/v1/categories", &token).await.status(), 200);
        let me: Value = app.get_json("/api/v1/me", &token).await;
        assert_eq!(me["phone"], phone);
    }
}

#[tokio::test]
async fn citizens_see_nobody_elses_account_and_staff_see_no_citizens() {
    use minsheng_tests::wechat::FakeWeChat;
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |_| {}).await;
    let seed = app.seed_demo().await;
    let grace = app.wechat_sign_in(&wechat, "grace").await;
    let heidi = app.wechat_sign_in(&wechat, "heidi").await;
    let grace_token = grace["access_token"].as_str().expect("token");
    let heidi_id = heidi["user"]["id"].as_str().expect("id");
    let station = seed.station("凤山街道人大代表联络站").expect("seeded");

    for path in [
        format!("/api/v1/users/{heidi_id}"),
        "/api/v1/users".to_owned(),
        format!("/api/v1/stations/{station}"),
        format!("/api/v1/stations/{station}/qrcode"),
        "/api/v1/agencies".to_owned(),
    ] {
        let res = app.get(&path, grace_token).await;
        let problem = assert_problem(res, 403, "forbidden").await;
        assert!(!problem.to_string().contains(heidi_id), "{path} reveals nothing");
    }
    assert_problem(
        app.patch(
            &format!("/api/v1/users/{heidi_id}"),
            grace_token,
            &json!({"enabled": false}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Citizens live in no region: staff cannot find them at all; admins can.
    let staff = app.sign_in(YUYAO_STAFF, DEMO_PASSWORD).await;
    assert_problem(
        app.get(&format!("/api/v1/users/{heidi_id}"), &staff).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.patch(&format!("/api/v1/users/{heidi_id}"), &staff, &json!({"enabled": false}))
            .await,
        404,
        "not_found",
    )
    .await;
    let listed = app.get_json("/api/v1/users?role=citizen", &staff).await;
    assert_eq!(listed["items"], json!([]));
    let admin = app.sign_in("13900000000", DEMO_PASSWORD).await;
    let as_admin = app.get_json(&format!("/api/v1/users/{heidi_id}"), &admin).await;
    assert_eq!(as_admin["role"], "citizen");
}
