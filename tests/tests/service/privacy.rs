//! A citizen's own data under PIPL: they can take it all and erase it; phone numbers are masked for everyone but
//! their owner and admins; no phone number, openid or secret reaches a log line.

use minsheng_tests::wechat::{FakeWeChat, SECRET};
use minsheng_tests::{assert_problem, TestApp, DEMO_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_citizen_exports_then_erases_their_data_and_comes_back_as_someone_new() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&wechat, |_| {}).await;
    let seed = app.seed_demo().await;
    let station = seed.station("凤山街道人大代表联络站").expect("seeded");
    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    let res = app.get(&format!("/api/v1/stations/{station}/qrcode"), &staff).await;
    let scene = res.headers()["x-minsheng-scene"].to_str().expect("ascii").to_owned();

    let first = app
        .anonymous_post_json(
            "/api/v1/auth/wechat",
            &json!({"code": wechat.login_code("erin"), "scene": scene}),
        )
        .await;
    let token = first["access_token"].as_str().expect("token").to_owned();
    let id = first["user"]["id"].clone();

    let res = app.get("/api/v1/me/export", &token).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .contains("attachment"));
    let export: Value = res.json().await.expect("JSON");
    assert_eq!(export["account"]["id"], id);
    assert_eq!(export["account"]["openid"], json!(FakeWeChat::openid("erin")));
    assert_eq!(export["account"]["scene"], json!(scene));
    assert_eq!(export["account"]["has_password"], false);
    assert_eq!(export["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(export["sessions"][0]["method"], "wechat");
    for list in ["issues", "photos", "ratings", "notifications"] {
        assert!(export[list].is_array(), "{list} is part of the export");
    }
    assert!(!export.to_string().contains("password_hash"));

    let res = app.call(Method::DELETE, "/api/v1/me", Some(&token), None).await;
    assert_eq!(res.status(), 204);
    assert_problem(app.get("/api/v1/me", &token).await, 401, "invalid_token").await;
    assert_problem(
        app.call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": first["refresh_token"]})),
        )
        .await,
        401,
        "invalid_refresh_token",
    )
    .await;

    // The record stays, with nothing left that points at the person.
    let admin = app.sign_in("13900000000", DEMO_PASSWORD).await;
    let erased = app
        .get_json(&format!("/api/v1/users/{}", id.as_str().expect("id")), &admin)
        .await;
    assert_eq!(erased["name"], "已注销的市民");
    assert_eq!(erased["phone"], Value::Null);
    assert_eq!(erased["enabled"], false);
    let path = format!("/api/v1/users/{}", id.as_str().expect("id"));
    assert_problem(
        app.patch(&path, &admin, &json!({"enabled": true})).await,
        409,
        "conflict",
    )
    .await;
    assert_problem(
        app.patch(&path, &admin, &json!({"name": "回来"})).await,
        403,
        "forbidden",
    )
    .await;

    // The same WeChat user signs in again: a new, empty citizen.
    let again = app
        .anonymous_post_json("/api/v1/auth/wechat", &json!({"code": wechat.login_code("erin")}))
        .await;
    assert_ne!(again["user"]["id"], id);
    assert_eq!(again["user"]["scene"], Value::Null);
    let export = app
        .get_json("/api/v1/me/export", again["access_token"].as_str().expect("token"))
        .await;
    assert_eq!(export["sessions"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn only_citizens_erase_their_own_accounts() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    for phone in ["13900000000", "13900000001", "13900000011", "13900000021"] {
        let token = app.sign_in(phone, DEMO_PASSWORD).await;
        assert_problem(
            app.call(Method::DELETE, "/api/v1/me", Some(&token), None).await,
            403,
            "forbidden",
        )
        .await;
        // Anyone may export what is held about them.
        let export = app.get_json("/api/v1/me/export", &token).await;
        assert_eq!(export["account"]["phone"], phone);
        assert_eq!(export["account"]["has_password"], true);
    }
}

#[tokio::test]
async fn phone_numbers_are_masked_for_everyone_but_their_owner_and_admins() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let deputy = seed.account("13900000011").expect("seeded");
    let path = format!("/api/v1/users/{deputy}");

    let staff = app.sign_in("13900000001", DEMO_PASSWORD).await;
    assert_eq!(app.get_json(&path, &staff).await["phone"], "139****0011");
    let list = app.get_json("/api/v1/users?role=deputy", &staff).await;
    for user in list["items"].as_array().expect("items") {
        assert!(user["phone"].as_str().is_some_and(|p| p.contains("****")), "{user}");
    }
    let admin = app.sign_in("13900000000", DEMO_PASSWORD).await;
    assert_eq!(app.get_json(&path, &admin).await["phone"], "13900000011");
    let own = app.sign_in("13900000011", DEMO_PASSWORD).await;
    assert_eq!(app.get_json("/api/v1/me", &own).await["phone"], "13900000011");
}

/// Runs `minsheng serve` as operators do, at `debug` and at `trace`, with WeChat pointed at the fake, and reads
/// everything it logs — with every list of byte values in it decoded, since the database driver writes bind
/// parameters as bytes.
#[tokio::test]
async fn no_phone_number_openid_code_hash_or_secret_reaches_the_log_at_any_level() {
    let wechat = FakeWeChat::start().await;
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    for level in ["debug", "trace"] {
        let logs = logs_of_a_sign_in_session(&app, &wechat, level).await;
        let decoded = with_byte_lists_decoded(&logs);
        assert!(logs.contains("signed in with WeChat"), "the log is read: {logs}");
        for (secret, what) in [
            ("13900000011", "a phone number"),
            ("13900000012", "a phone number"),
            (FakeWeChat::openid("frank").as_str(), "an openid"),
            (FakeWeChat::openid(&format!("frank-{level}")).as_str(), "an openid"),
            (SECRET, "the WeChat secret"),
            (DEMO_PASSWORD, "a password"),
            ("$argon2", "a password hash"),
        ] {
            assert!(
                !decoded.contains(secret),
                "{what} ({secret}) is logged at {level}:\n{decoded}"
            );
        }
    }
}

/// Every `[n, n, …]` list of byte values in `logs`, decoded (lossily) and appended, so a search finds what they say.
fn with_byte_lists_decoded(logs: &str) -> String {
    let mut out = logs.to_owned();
    for list in logs
        .split('[')
        .skip(1)
        .filter_map(|rest| rest.split_once(']').map(|(inner, _)| inner))
    {
        let bytes: Option<Vec<u8>> = list.split(',').map(|n| n.trim().parse::<u8>().ok()).collect();
        if let Some(bytes) = bytes.filter(|b| b.len() > 1) {
            out.push('\n');
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

/// Signs in with a password (right and wrong) and with WeChat (a code used twice) against `minsheng serve` run at
/// `RUST_LOG=level`; answers everything it wrote.
async fn logs_of_a_sign_in_session(app: &TestApp, wechat: &FakeWeChat, level: &str) -> String {
    let mut env = app.env.clone();
    env.extend(wechat.env());
    let served = minsheng_tests::Binary::serve(&env, level).await;
    let base = served.base.clone();
    let client = reqwest::Client::new();
    let send = |path: &str, body: Value| client.post(format!("{base}{path}")).json(&body).send();
    let res = send(
        "/api/v1/auth/password",
        json!({"phone": "13900000011", "password": DEMO_PASSWORD}),
    )
    .await
    .expect("answers");
    assert_eq!(res.status(), 200);
    let res = send(
        "/api/v1/auth/password",
        json!({"phone": "13900000012", "password": "wrong-password-1"}),
    )
    .await
    .expect("answers");
    assert_eq!(res.status(), 401);
    let code = wechat.login_code(&format!("frank-{level}"));
    let res = send("/api/v1/auth/wechat", json!({"code": code}))
        .await
        .expect("answers");
    assert_eq!(res.status(), 200);
    let used = send("/api/v1/auth/wechat", json!({"code": code}))
        .await
        .expect("answers");
    assert_eq!(used.status(), 401);

    let logs = served.stop();
    assert!(!logs.contains(&code), "a login code is logged at {level}");
    logs
}
