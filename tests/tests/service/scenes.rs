//! QR codes that lead to a station or a deputy, and what scanning one shows — to anyone, without signing in.
//! Without WeChat configured the codes are plain QR codes of `{MINSHENG_PUBLIC_URL}/s/{scene}`.

use minsheng_tests::{assert_problem, TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};
use uuid::Uuid;

const FENGSHAN: &str = "凤山街道人大代表联络站";

async fn scene_of(res: reqwest::Response) -> (String, Vec<u8>) {
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let scene = res.headers()["x-minsheng-scene"].to_str().expect("ascii").to_owned();
    (scene, res.bytes().await.expect("bytes").to_vec())
}

async fn scan(app: &TestApp, scene: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/scenes/{scene}")))
        .send()
        .await
        .expect("answers")
}

#[tokio::test]
async fn plain_codes_lead_to_a_station_and_a_deputy() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_PUBLIC_URL".into(), "https://minsheng.yuyao.example.cn".into());
    })
    .await;
    let seed = app.seed_demo().await;
    let station = seed.station(FENGSHAN).expect("seeded");
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;

    let (scene, png) = scene_of(app.get(&format!("/api/v1/stations/{station}/qrcode"), &staff).await).await;
    let picture = image::load_from_memory_with_format(&png, image::ImageFormat::Png).expect("a PNG");
    assert_eq!(picture.width(), picture.height());
    assert!(
        (300..=430).contains(&picture.width()),
        "close to the default 430: {}",
        picture.width()
    );
    let (_, big) = scene_of(
        app.get(&format!("/api/v1/stations/{station}/qrcode?width=1200"), &staff)
            .await,
    )
    .await;
    let big = image::load_from_memory(&big).expect("a picture");
    assert!(big.width() > 1000);
    assert_problem(
        app.get(&format!("/api/v1/stations/{station}/qrcode?width=99"), &staff)
            .await,
        422,
        "validation_failed",
    )
    .await;

    // Scenes are random, not counters: twenty characters, and two stations' scenes share no prefix pattern.
    assert_eq!(scene.len(), 20);
    let other = seed.station("泗门镇人大代表联络站").expect("seeded");
    let (other_scene, _) = scene_of(app.get(&format!("/api/v1/stations/{other}/qrcode"), &staff).await).await;
    assert_ne!(scene, other_scene);

    let res = scan(&app, &scene).await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.expect("JSON");
    assert_eq!(view["kind"], "station");
    let s = &view["station"];
    assert_eq!(s["name"], FENGSHAN);
    assert_eq!(s["address"], "余姚市凤山街道新建北路88号");
    assert_eq!(s["region"], json!({"code": "330281001", "name": "凤山街道"}));
    assert_eq!(s["reception_days"].as_array().map(Vec::len), Some(2));
    let deputies: Vec<&str> = s["deputies"]
        .as_array()
        .expect("deputies")
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert_eq!(deputies.len(), 2);
    assert!(deputies.contains(&"王建国") && deputies.contains(&"张伟"));
    assert!(
        !view.to_string().contains("1390000"),
        "no phone numbers in a public view"
    );

    // A deputy prints their own card.
    let deputy_id = seed.account("13900000013").expect("seeded");
    let deputy = app.sign_in("13900000013", DEMO_PASSWORD).await;
    let (deputy_scene, _) = scene_of(app.get(&format!("/api/v1/deputies/{deputy_id}/qrcode"), &deputy).await).await;
    let view: Value = scan(&app, &deputy_scene).await.json().await.expect("JSON");
    assert_eq!(view["kind"], "deputy");
    assert_eq!(view["deputy"]["name"], "张伟");
    assert_eq!(view["deputy"]["level"], "city");
    assert_eq!(view["deputy"]["stations"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn unknown_and_disabled_scenes_are_not_found() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let station = seed.station(FENGSHAN).expect("seeded");
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let (scene, _) = scene_of(app.get(&format!("/api/v1/stations/{station}/qrcode"), &staff).await).await;
    let deputy_id = seed.account("13900000011").expect("seeded");
    let (deputy_scene, _) = scene_of(app.get(&format!("/api/v1/deputies/{deputy_id}/qrcode"), &staff).await).await;

    for unknown in ["abcdefghijkmnpqrstuvw", "NOT-A-SCENE", &"a".repeat(40)] {
        assert_problem(scan(&app, unknown).await, 404, "not_found").await;
    }
    app.patch_json(
        &format!("/api/v1/stations/{station}"),
        &staff,
        &json!({"enabled": false}),
    )
    .await;
    assert_problem(scan(&app, &scene).await, 404, "not_found").await;
    assert_problem(
        app.get(&format!("/api/v1/stations/{station}/qrcode"), &staff).await,
        409,
        "conflict",
    )
    .await;
    // The deputy's card still works, and no longer lists the disabled station.
    let view: Value = scan(&app, &deputy_scene).await.json().await.expect("JSON");
    assert_eq!(view["deputy"]["stations"], json!([]));
    app.patch_json(
        &format!("/api/v1/users/{deputy_id}"),
        &staff,
        &json!({"enabled": false}),
    )
    .await;
    assert_problem(scan(&app, &deputy_scene).await, 404, "not_found").await;
}

#[tokio::test]
async fn codes_are_drawn_only_inside_ones_reach() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let fengshan = seed.station(FENGSHAN).expect("seeded");
    let yangming = seed.station("阳明街道代表之家").expect("seeded");
    let wang = seed.account("13900000011").expect("seeded");
    let li = seed.account("13900000012").expect("seeded");
    let station_code = |id: Uuid| format!("/api/v1/stations/{id}/qrcode");
    let deputy_code = |id: Uuid| format!("/api/v1/deputies/{id}/qrcode");

    // Another county's staff: as if it did not exist.
    let beilun = app.sign_in("13900000003", DEMO_PASSWORD).await;
    assert_problem(app.get(&station_code(fengshan), &beilun).await, 404, "not_found").await;
    assert_problem(app.get(&deputy_code(wang), &beilun).await, 404, "not_found").await;
    // A township's staff reach their township only.
    let township = app.sign_in("13900000002", DEMO_PASSWORD).await;
    assert_eq!(app.get(&station_code(fengshan), &township).await.status(), 200);
    assert_problem(app.get(&station_code(yangming), &township).await, 404, "not_found").await;
    // A deputy draws their own station's and their own card, nobody else's.
    let deputy = app.sign_in("13900000011", DEMO_PASSWORD).await;
    assert_eq!(app.get(&station_code(fengshan), &deputy).await.status(), 200);
    assert_eq!(app.get(&deputy_code(wang), &deputy).await.status(), 200);
    assert_problem(app.get(&station_code(yangming), &deputy).await, 404, "not_found").await;
    assert_problem(app.get(&deputy_code(li), &deputy).await, 404, "not_found").await;
    // Handlers do not print codes.
    let handler = app.sign_in("13900000021", DEMO_PASSWORD).await;
    assert_problem(app.get(&station_code(fengshan), &handler).await, 403, "forbidden").await;
    assert_problem(app.get(&deputy_code(wang), &handler).await, 403, "forbidden").await;
    // Nor does a deputy id that is someone else's account.
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let handler_id = seed.account("13900000021").expect("seeded");
    assert_problem(app.get(&deputy_code(handler_id), &staff).await, 404, "not_found").await;
    assert_problem(app.get(&deputy_code(Uuid::now_v7()), &staff).await, 404, "not_found").await;
    assert_problem(
        app.client
            .get(app.url(&station_code(fengshan)))
            .send()
            .await
            .expect("answers"),
        401,
        "unauthenticated",
    )
    .await;
}
