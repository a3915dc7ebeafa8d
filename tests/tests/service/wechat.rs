//! Citizens through WeChat, against a local server that speaks WeChat's contract: sign-in with a login code and a
//! scanned scene, WeChat's errcodes mapped to clear problems, and one access token shared by every instance.

use minsheng_tests::wechat::{FakeWeChat, Scripted, APPID, PAGE, SECRET};
use minsheng_tests::{assert_problem, TestApp, DEMO_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

const FENGSHAN: &str = "凤山街道人大代表联络站";

async fn wechat_sign_in(app: &TestApp, body: &Value) -> reqwest::Response {
    app.call(Method::POST, "/api/v1/auth/wechat", None, Some(body)).await
}

/// The scene of a station, as staff get it when they print its code.
async fn station_scene(app: &TestApp, station: uuid::Uuid) -> String {
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let res = app.get(&format!("/api/v1/stations/{station}/qrcode"), &staff).await;
    assert_eq!(res.status(), 200);
    res.headers()
        .get("x-minsheng-scene")
        .and_then(|v| v.to_str().ok())
        .expect("the scene header")
        .to_owned()
}

#[tokio::test]
async fn a_citizen_signs_in_with_a_code_and_a_station_scene() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |_| {}).await;
    let seed = app.seed_demo().await;
    let station = seed.station(FENGSHAN).expect("seeded");
    let scene = station_scene(&app, station).await;

    // The mini-program opens with the scene, shows the station, then signs in.
    let scanned = app
        .client
        .get(app.url(&format!("/api/v1/scenes/{scene}")))
        .send()
        .await
        .expect("answers");
    assert_eq!(scanned.status(), 200);
    let scanned: Value = scanned.json().await.expect("JSON");
    assert_eq!(scanned["station"]["name"], FENGSHAN);

    let code = wechat.login_code("alice");
    let body = app
        .anonymous_post_json("/api/v1/auth/wechat", &json!({"code": code, "scene": scene}))
        .await;
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["refresh_token"].is_string());
    let user = &body["user"];
    assert_eq!(user["roles"], json!(["citizen"]));
    assert_eq!(user["name"], "微信用户");
    assert_eq!(user["scene"]["scene"], json!(scene));
    assert_eq!(user["scene"]["station_id"], json!(station));
    assert!(
        body.to_string().find(&FakeWeChat::openid("alice")).is_none(),
        "the openid is not handed out"
    );
    assert!(!body.to_string().contains("session_key") && !body.to_string().contains("tiihtNczf5v6AKRyjwEUhQ"));

    // WeChat was asked exactly as its documentation says.
    let calls = wechat.session_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["appid"], APPID);
    assert_eq!(calls[0]["secret"], SECRET);
    assert_eq!(calls[0]["js_code"], code);
    assert_eq!(calls[0]["grant_type"], "authorization_code");

    // The same WeChat user again, with a new code and no scene: the same citizen, their scene kept.
    let again = app
        .anonymous_post_json("/api/v1/auth/wechat", &json!({"code": wechat.login_code("alice")}))
        .await;
    assert_eq!(again["user"]["id"], user["id"]);
    assert_eq!(again["user"]["scene"]["station_id"], json!(station));
    let me = app
        .get_json("/api/v1/me", again["access_token"].as_str().expect("token"))
        .await;
    assert_eq!(me["id"], user["id"]);

    // Someone else is someone else; a unionid, when WeChat sends one, is kept (and shows in the export).
    let bob = app
        .anonymous_post_json("/api/v1/auth/wechat", &json!({"code": wechat.login_code("union-bob")}))
        .await;
    assert_ne!(bob["user"]["id"], user["id"]);
    let export = app
        .get_json("/api/v1/me/export", bob["access_token"].as_str().expect("token"))
        .await;
    assert_eq!(export["account"]["openid"], json!(FakeWeChat::openid("union-bob")));
    assert!(export["account"]["unionid"]
        .as_str()
        .is_some_and(|u| u.starts_with("oUn")));
}

#[tokio::test]
async fn a_deputy_scene_attaches_the_citizen_to_the_deputy() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |_| {}).await;
    let seed = app.seed_demo().await;
    let deputy_id = seed.account("13900000011").expect("seeded");
    let deputy = app.sign_in("13900000011", DEMO_PASSWORD).await;
    let res = app.get(&format!("/api/v1/deputies/{deputy_id}/qrcode"), &deputy).await;
    assert_eq!(res.status(), 200);
    let scene = res.headers()["x-minsheng-scene"].to_str().expect("ascii").to_owned();
    let drawn = wechat.code_calls();
    assert_eq!(drawn.last().expect("a code was drawn")["scene"], json!(scene));

    let body = app
        .anonymous_post_json(
            "/api/v1/auth/wechat",
            &json!({"code": wechat.login_code("carol"), "scene": scene}),
        )
        .await;
    assert_eq!(body["user"]["scene"]["deputy_id"], json!(deputy_id));
    assert_eq!(body["user"]["scene"]["station_id"], Value::Null);
}

#[tokio::test]
async fn wechats_errcodes_become_clear_problems() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |_| {}).await;

    // 40029: a code WeChat never issued.
    let p = assert_problem(
        wechat_sign_in(&app, &json!({"code": "made-up-code"})).await,
        401,
        "invalid_login_code",
    )
    .await;
    assert_eq!(p["field"], "code");
    // 40163: a code used twice.
    let code = wechat.login_code("dave");
    app.anonymous_post_json("/api/v1/auth/wechat", &json!({"code": code}))
        .await;
    let p = assert_problem(
        wechat_sign_in(&app, &json!({"code": code})).await,
        401,
        "invalid_login_code",
    )
    .await;
    assert!(p["detail"].as_str().is_some_and(|d| d.contains("used")));
    // 45011: WeChat's rate limit.
    wechat.fail_sessions(&[Scripted::ErrCode(45011)]);
    let res = wechat_sign_in(&app, &json!({"code": wechat.login_code("dave")})).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, "rate_limited").await;
    // -1 once: retried, and the citizen never notices.
    wechat.fail_sessions(&[Scripted::ErrCode(-1)]);
    let calls = wechat.session_calls().len();
    let body = app
        .anonymous_post_json("/api/v1/auth/wechat", &json!({"code": wechat.login_code("dave")}))
        .await;
    assert_eq!(body["user"]["roles"], json!(["citizen"]));
    assert_eq!(wechat.session_calls().len(), calls + 2);
    // -1 twice: 503, worth retrying.
    wechat.fail_sessions(&[Scripted::ErrCode(-1), Scripted::ErrCode(-1)]);
    let res = wechat_sign_in(&app, &json!({"code": wechat.login_code("dave")})).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 503, "wechat_unavailable").await;
    // Anything else is our configuration's fault, not the citizen's.
    wechat.fail_sessions(&[Scripted::ErrCode(40125)]);
    assert_problem(
        wechat_sign_in(&app, &json!({"code": wechat.login_code("dave")})).await,
        502,
        "wechat_refused",
    )
    .await;

    // Bad input never reaches WeChat: an empty code, a malformed scene, a scene that leads nowhere.
    let calls = wechat.session_calls().len();
    assert_problem(
        wechat_sign_in(&app, &json!({"code": ""})).await,
        422,
        "validation_failed",
    )
    .await;
    let p = assert_problem(
        wechat_sign_in(
            &app,
            &json!({"code": wechat.login_code("dave"), "scene": "Not A Scene"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["field"], "scene");
    let p = assert_problem(
        wechat_sign_in(
            &app,
            &json!({"code": wechat.login_code("dave"), "scene": "abcdefghijkmnpqrstuvw"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "unknown_scene");
    assert_eq!(wechat.session_calls().len(), calls);
}

#[tokio::test]
async fn an_unreachable_wechat_is_a_503_and_an_unconfigured_one_says_so() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with(|env| {
        env.extend(wechat.env());
        // Nothing listens on port 9 of this machine.
        env.insert("MINSHENG_WECHAT_API_BASE".into(), "http://127.0.0.1:9".into());
    })
    .await;
    assert_problem(
        wechat_sign_in(&app, &json!({"code": "0abc"})).await,
        503,
        "wechat_unavailable",
    )
    .await;

    let plain = TestApp::spawn().await;
    assert_problem(
        wechat_sign_in(&plain, &json!({"code": "0abc"})).await,
        503,
        "wechat_not_configured",
    )
    .await;
}

#[tokio::test]
async fn every_instance_shares_one_access_token_and_a_rejected_one_is_replaced() {
    let wechat = FakeWeChat::start().await;
    let first = TestApp::spawn_with_wechat(&wechat, |_| {}).await;
    let second = first.another_instance();
    let seed = first.seed_demo().await;
    let station = seed.station(FENGSHAN).expect("seeded");
    let path = format!("/api/v1/stations/{station}/qrcode");
    let staff = first.sign_in("13900000001", DEMO_PASSWORD).await;

    // Many codes from both instances at once: one token fetch among them (the Redis lock), the same token for all.
    let requests = (0..6).map(|i| {
        let app = if i % 2 == 0 { &first } else { &second };
        app.get(&path, &staff)
    });
    for res in futures_util::future::join_all(requests).await {
        assert_eq!(res.status(), 200);
    }
    let fetches = wechat.stable_token_calls();
    assert_eq!(fetches.len(), 1, "{fetches:?}");
    assert_eq!(
        fetches[0],
        json!({"grant_type": "client_credential", "appid": APPID, "secret": SECRET, "force_refresh": false})
    );

    // WeChat revokes the token (another system forced a new one): the next call gets 40001, and the newest token,
    // asked for in normal mode, works — no forced refresh, which WeChat rations and which would cut off everyone.
    wechat.revoke_current_token();
    let res = second.get(&path, &staff).await;
    assert_eq!(res.status(), 200);
    let fetches = wechat.stable_token_calls();
    assert_eq!(fetches.len(), 2);
    assert_eq!(fetches[1]["force_refresh"], false);
    // ...and the other instance uses the replacement without fetching its own.
    assert_eq!(first.get(&path, &staff).await.status(), 200);
    assert_eq!(wechat.stable_token_calls().len(), 2);

    // A token the API refuses while normal mode still hands it out: only then is a refresh forced.
    wechat.poison_current_token();
    let res = first.get(&path, &staff).await;
    assert_eq!(res.status(), 200);
    let fetches = wechat.stable_token_calls();
    let modes: Vec<&Value> = fetches[2..].iter().map(|f| &f["force_refresh"]).collect();
    assert_eq!(modes, vec![&json!(false), &json!(true)], "normal first, force second");
    assert_eq!(second.get(&path, &staff).await.status(), 200);
    assert_eq!(wechat.stable_token_calls().len(), 4);
}

#[tokio::test]
async fn a_user_wechat_holds_at_high_risk_gets_a_problem_of_its_own() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |_| {}).await;
    wechat.fail_sessions(&[Scripted::ErrCode(40226)]);
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/wechat",
            None,
            Some(&json!({"code": wechat.login_code("risky-user")})),
        )
        .await;
    assert_problem(res, 403, "wechat_user_risky").await;
}

#[tokio::test]
async fn a_token_in_its_last_minutes_is_replaced_before_it_expires() {
    let wechat = FakeWeChat::start().await;
    // Tokens that live four minutes are always inside the five-minute window in which WeChat hands out the next one.
    wechat.set_token_life(240);
    let app = TestApp::spawn_with_wechat(&wechat, |_| {}).await;
    let seed = app.seed_demo().await;
    let station = seed.station(FENGSHAN).expect("seeded");
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let path = format!("/api/v1/stations/{station}/qrcode");
    assert_eq!(app.get(&path, &staff).await.status(), 200);
    assert_eq!(wechat.stable_token_calls().len(), 1);
    wechat.set_token_life(7200);
    // The cached token is still valid, but near its end: this request fetches the next one (no error, no force).
    assert_eq!(app.get(&path, &staff).await.status(), 200);
    let fetches = wechat.stable_token_calls();
    assert_eq!(fetches.len(), 2);
    assert_eq!(fetches[1]["force_refresh"], false);
    // The new one lives long: no more fetches.
    assert_eq!(app.get(&path, &staff).await.status(), 200);
    assert_eq!(wechat.stable_token_calls().len(), 2);
}

#[tokio::test]
async fn wechat_codes_come_back_as_png_and_errcodes_are_mapped() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |env| {
        env.insert("MINSHENG_WECHAT_CODE_ENV_VERSION".into(), "trial".into());
    })
    .await;
    let seed = app.seed_demo().await;
    let station = seed.station(FENGSHAN).expect("seeded");
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let path = format!("/api/v1/stations/{station}/qrcode?width=600");

    let res = app.get(&path, &staff).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let scene = res.headers()["x-minsheng-scene"].to_str().expect("ascii").to_owned();
    let png = res.bytes().await.expect("bytes");
    // WeChat drew a JPEG; the service answers PNG, as promised.
    let picture = image::load_from_memory_with_format(&png, image::ImageFormat::Png).expect("a PNG");
    assert_eq!(picture.width(), 600);
    let asked = wechat.code_calls().pop().expect("asked");
    assert_eq!(asked["scene"], json!(scene));
    assert_eq!(asked["page"], PAGE);
    assert_eq!(asked["width"], 600);
    assert_eq!(asked["env_version"], "trial");
    assert_eq!(asked["check_path"], false);
    assert!(scene.len() <= 32);

    // The same station keeps its scene.
    let again = app.get(&path, &staff).await;
    assert_eq!(again.headers()["x-minsheng-scene"].to_str().expect("ascii"), scene);

    wechat.fail_codes(&[41030]);
    assert_problem(app.get(&path, &staff).await, 502, "wechat_refused").await;
    wechat.fail_codes(&[45009]);
    assert_problem(app.get(&path, &staff).await, 429, "rate_limited").await;
    wechat.fail_codes(&[-1, -1]);
    assert_problem(app.get(&path, &staff).await, 503, "wechat_unavailable").await;
    wechat.fail_codes(&[-1]);
    assert_eq!(app.get(&path, &staff).await.status(), 200);
}

#[tokio::test]
async fn an_unpublished_page_is_refused_by_wechat_when_the_path_is_checked() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |env| {
        env.insert("MINSHENG_WECHAT_CODE_PAGE".into(), "pages/not/published".into());
    })
    .await;
    let seed = app.seed_demo().await;
    let station = seed.station(FENGSHAN).expect("seeded");
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let p = assert_problem(
        app.get(&format!("/api/v1/stations/{station}/qrcode"), &staff).await,
        502,
        "wechat_refused",
    )
    .await;
    assert!(p["detail"].as_str().is_some_and(|d| d.contains("settings")));
}

#[tokio::test]
async fn a_disabled_citizen_cannot_sign_in_and_nothing_of_the_attempt_is_kept() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |_| {}).await;
    let seed = app.seed_demo().await;
    let citizen = app.wechat_sign_in(&wechat, "mallory").await;
    let id = citizen["user"]["id"].as_str().expect("id").to_owned();
    let admin = app.sign_in("13900000000", DEMO_PASSWORD).await;
    app.patch_json(&format!("/api/v1/users/{id}"), &admin, &json!({"enabled": false}))
        .await;

    let scene = station_scene(&app, seed.station(FENGSHAN).expect("seeded")).await;
    let res = wechat_sign_in(&app, &json!({"code": wechat.login_code("mallory"), "scene": scene})).await;
    assert_problem(res, 401, "account_disabled").await;
    let export = app.get_json("/api/v1/me/export", &admin).await;
    assert_eq!(export["account"]["role"], "admin");
    // Re-enabled, the citizen finds no scene from the refused attempt and only their first session.
    app.patch_json(&format!("/api/v1/users/{id}"), &admin, &json!({"enabled": true}))
        .await;
    let back = app.wechat_sign_in(&wechat, "mallory").await;
    assert_eq!(back["user"]["id"], json!(id));
    assert_eq!(back["user"]["scene"], Value::Null);
    let export = app
        .get_json("/api/v1/me/export", back["access_token"].as_str().expect("token"))
        .await;
    assert_eq!(export["sessions"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn without_redis_citizens_and_staff_still_sign_in_and_codes_are_still_drawn() {
    let wechat = FakeWeChat::start().await;
    // Nothing listens on port 1: Redis is gone. It only ever held what PostgreSQL can rebuild.
    let app = TestApp::spawn_with_wechat(&wechat, |env| {
        env.insert("REDIS_URL".into(), "redis://127.0.0.1:1/0".into());
    })
    .await;
    let seed = app.seed_demo().await;
    let station = seed.station(FENGSHAN).expect("seeded");
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let res = app.get(&format!("/api/v1/stations/{station}/qrcode"), &staff).await;
    assert_eq!(res.status(), 200);
    let citizen = app.wechat_sign_in(&wechat, "oscar").await;
    assert_eq!(citizen["user"]["roles"], json!(["citizen"]));
    let refreshed = app
        .anonymous_post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": citizen["refresh_token"]}),
        )
        .await;
    assert!(refreshed["access_token"].is_string());
}
