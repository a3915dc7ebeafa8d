//! Tokens as OAuth 2 clients expect them: short-lived JWTs, refresh tokens that rotate on every use, a reused refresh
//! token ending its whole session, sign-out and disabling taking effect at once, and limits on guessing passwords.

use base64::Engine;
use minsheng_tests::{assert_problem, TestApp, DEMO_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

const DEPUTY: &str = "13900000011";
const HANDLER: &str = "13900000021";

/// Reports a streetlight out as the holder of `token`; answers the issue's id.
async fn streetlight(app: &TestApp, token: &str) -> String {
    let body = json!({"description": "路灯不亮，晚上很黑。", "category_code": "streetlight"});
    let issue = crate::issues::report(app, token, &body).await;
    issue["id"].as_str().expect("id").to_owned()
}

async fn refresh(app: &TestApp, token: &Value) -> reqwest::Response {
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": token})),
    )
    .await
}

fn claims(access_token: &str) -> Value {
    let mut parts = access_token.split('.');
    let header = parts.next().expect("header");
    let payload = parts.next().expect("payload");
    let decode = |part: &str| -> Value {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .expect("base64url");
        serde_json::from_slice(&bytes).expect("JSON")
    };
    assert_eq!(decode(header)["alg"], "HS256");
    decode(payload)
}

#[tokio::test]
async fn a_deputy_and_a_handler_sign_in_and_get_oauth_shaped_tokens() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    for (phone, role) in [(DEPUTY, "deputy"), (HANDLER, "handler")] {
        let body = app.sign_in_tokens(phone, DEMO_PASSWORD).await;
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        assert!(body["refresh_token"].as_str().is_some_and(|t| t.len() > 40));
        assert!(body["refresh_token_expires_in"].as_u64().is_some_and(|s| s > 86_400));
        assert_eq!(body["user"]["roles"], json!([role]));

        let c = claims(body["access_token"].as_str().expect("access token"));
        assert_eq!(c["iss"], "minsheng");
        assert_eq!(c["aud"], "minsheng-api");
        assert_eq!(c["sub"], json!(seed.account(phone).expect("seeded")));
        assert_eq!(c["roles"], json!([role]));
        assert!(c["sid"].is_string());
        assert_eq!(c["exp"].as_i64().expect("exp") - c["iat"].as_i64().expect("iat"), 900);
    }

    // The handler's profile names their agency and region; the deputy's their stations.
    let handler = app.sign_in(HANDLER, DEMO_PASSWORD).await;
    let me = app.get_json("/api/v1/me", &handler).await;
    assert_eq!(me["agency"]["name"], "余姚市住房和城乡建设局");
    assert_eq!(me["region"]["name"], "余姚市");
    assert_eq!(me["phone"], HANDLER, "the caller sees their own whole number");
    let deputy = app.sign_in("13900000013", DEMO_PASSWORD).await;
    let me = app.get_json("/api/v1/me", &deputy).await;
    let stations: Vec<&str> = me["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(stations.len(), 2);
    assert!(stations.contains(&"泗门镇人大代表联络站"));
    assert_eq!(me["deputy_level"], "city");
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_the_session() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let first = app.sign_in_tokens(DEPUTY, DEMO_PASSWORD).await;

    let second = app
        .anonymous_post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": first["refresh_token"]}),
        )
        .await;
    assert_ne!(
        second["refresh_token"], first["refresh_token"],
        "a new refresh token every time"
    );
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(second["user"]["roles"], json!(["deputy"]));
    let token = second["access_token"].as_str().expect("access token");
    app.get_json("/api/v1/me", token).await;
    let third = app
        .anonymous_post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": second["refresh_token"]}),
        )
        .await;

    // The first token, spent, comes back: someone copied it. The whole family goes.
    assert_problem(
        refresh(&app, &first["refresh_token"]).await,
        401,
        "refresh_token_reused",
    )
    .await;
    assert_problem(
        refresh(&app, &third["refresh_token"]).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    let revoked = third["access_token"].as_str().expect("access token");
    assert_problem(app.get("/api/v1/me", revoked).await, 401, "invalid_token").await;

    // Another session of the same account is untouched.
    let other = app.sign_in(DEPUTY, DEMO_PASSWORD).await;
    app.get_json("/api/v1/me", &other).await;

    assert_problem(refresh(&app, &json!("msr_made-up")).await, 401, "invalid_refresh_token").await;
    assert_problem(refresh(&app, &json!(42)).await, 400, "invalid_body").await;
}

#[tokio::test]
async fn logout_ends_the_session_at_once_and_everywhere_ends_them_all() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let phone_session = app.sign_in_tokens(DEPUTY, DEMO_PASSWORD).await;
    let laptop_session = app.sign_in_tokens(DEPUTY, DEMO_PASSWORD).await;
    let tablet_session = app.sign_in_tokens(DEPUTY, DEMO_PASSWORD).await;
    let phone = phone_session["access_token"].as_str().expect("token");
    let laptop = laptop_session["access_token"].as_str().expect("token");
    let tablet = tablet_session["access_token"].as_str().expect("token");
    let issue = streetlight(&app, phone).await;
    app.get_json(&format!("/api/v1/issues/{issue}"), phone).await;
    let res = crate::issues::upload(&app, phone, &crate::issues::jpeg_with_exif(), "lamp.jpg").await;
    assert_eq!(res.status(), 201);
    let photo: Value = res.json().await.expect("JSON");
    let photo = photo["id"].as_str().expect("id").to_owned();

    let res = app.call(Method::POST, "/api/v1/auth/logout", Some(phone), None).await;
    assert_eq!(res.status(), 204);
    assert_problem(app.get("/api/v1/me", phone).await, 401, "invalid_token").await;
    // A read of an issue, its timeline, the timeline's check or a photo sends its caller's statement beside its own:
    // what it found is never shown to an ended session, and the session is judged first, so a made-up id answers the
    // same 401. The same account's other session still reads each.
    let made_up = "0190f3a0-0000-7000-8000-000000000000";
    let reads = [
        ("issues", issue.as_str(), ""),
        ("issues", issue.as_str(), "/timeline"),
        ("issues", issue.as_str(), "/timeline/verify"),
        ("photos", photo.as_str(), ""),
        ("photos", photo.as_str(), "/thumbnail"),
    ];
    for (what, id, read) in reads {
        for id in [id, made_up] {
            let res = app.get(&format!("/api/v1/{what}/{id}{read}"), phone).await;
            assert_problem(res, 401, "invalid_token").await;
        }
        let res = app.get(&format!("/api/v1/{what}/{id}{read}"), laptop).await;
        assert_eq!(res.status(), 200, "{what}/{id}{read} for the other session");
    }
    assert_problem(
        refresh(&app, &phone_session["refresh_token"]).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    app.get_json("/api/v1/me", laptop).await;

    let res = app
        .call(Method::POST, "/api/v1/auth/logout?everywhere=true", Some(laptop), None)
        .await;
    assert_eq!(res.status(), 204);
    for token in [laptop, tablet] {
        assert_problem(app.get("/api/v1/me", token).await, 401, "invalid_token").await;
    }
    assert_problem(
        refresh(&app, &tablet_session["refresh_token"]).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    assert_problem(
        app.call(Method::POST, "/api/v1/auth/logout", None, None).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_disabled_account_is_refused_at_once_and_cannot_refresh() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let deputy = app.sign_in_tokens(DEPUTY, DEMO_PASSWORD).await;
    let token = deputy["access_token"].as_str().expect("token");
    app.get_json("/api/v1/me", token).await;
    let issue = streetlight(&app, token).await;

    let admin = app.sign_in("13900000000", DEMO_PASSWORD).await;
    let id = seed.account(DEPUTY).expect("seeded");
    app.patch_json(&format!("/api/v1/users/{id}"), &admin, &json!({"enabled": false}))
        .await;

    assert_problem(app.get("/api/v1/me", token).await, 401, "account_disabled").await;
    for read in ["", "/timeline", "/timeline/verify"] {
        assert_problem(
            app.get(&format!("/api/v1/issues/{issue}{read}"), token).await,
            401,
            "account_disabled",
        )
        .await;
    }
    // Disabling ended the session, so its refresh token is simply no longer valid.
    assert_problem(
        refresh(&app, &deputy["refresh_token"]).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            None,
            Some(&json!({"phone": DEPUTY, "password": DEMO_PASSWORD})),
        )
        .await;
    assert_problem(res, 401, "account_disabled").await;
}

async fn attempt(app: &TestApp, phone: &str, password: &str) -> reqwest::Response {
    app.call(
        Method::POST,
        "/api/v1/auth/password",
        None,
        Some(&json!({"phone": phone, "password": password})),
    )
    .await
}

#[tokio::test]
async fn wrong_passwords_are_limited_per_phone_alike_for_known_and_unknown_phones() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_SIGNIN_LIMIT_PER_PHONE".into(), "3".into());
    })
    .await;
    app.seed_demo().await;
    for phone in [DEPUTY, "13712345678"] {
        for _ in 0..3 {
            assert_problem(
                attempt(&app, phone, "wrong-password-1").await,
                401,
                "invalid_credentials",
            )
            .await;
        }
        // Now even the right password waits: the guesser cannot tell when they hit it.
        let res = attempt(&app, phone, DEMO_PASSWORD).await;
        let retry_after: u64 = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!((1..=900).contains(&retry_after), "{retry_after}");
        let problem = assert_problem(res, 429, "rate_limited").await;
        assert!(problem["detail"].as_str().is_some_and(|d| d.contains("seconds")));
    }
    // Other phones are not affected, and the limit counts only in Redis under this deployment's prefix.
    app.sign_in(HANDLER, DEMO_PASSWORD).await;
    let mut redis = redis::Client::open(minsheng_tests::redis_url())
        .expect("redis url")
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}signin:phone:*", app.redis_prefix))
        .query_async(&mut redis)
        .await
        .expect("keys");
    assert_eq!(keys.len(), 2, "one counter per phone tried wrongly: {keys:?}");
    assert!(keys.iter().all(|k| !k.contains(DEPUTY)), "Redis holds no phone numbers");
}

#[tokio::test]
async fn attempts_are_limited_per_client_address() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_SIGNIN_LIMIT_PER_IP".into(), "4".into());
    })
    .await;
    app.seed_demo().await;
    for phone in ["13900000011", "13900000012", "13900000013", "13900000021"] {
        app.sign_in(phone, DEMO_PASSWORD).await;
    }
    assert_problem(attempt(&app, "13900000022", DEMO_PASSWORD).await, 429, "rate_limited").await;
}

/// The `Set-Cookie` an answer carries for the refresh cookie.
fn refresh_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("minsheng_refresh="))
        .unwrap_or_else(|| panic!("no refresh cookie in {:?}", res.headers()))
        .to_owned()
}

async fn refresh_with_cookie(app: &TestApp, set_cookie: &str) -> reqwest::Response {
    let pair = set_cookie.split(';').next().expect("name=value");
    app.client
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", pair)
        .json(&json!({}))
        .send()
        .await
        .expect("answers")
}

#[tokio::test]
async fn a_browser_keeps_its_refresh_token_in_a_cookie_scripts_cannot_read() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/password"))
        .json(&json!({"phone": DEPUTY, "password": DEMO_PASSWORD, "refresh_token_in": "cookie"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let first = refresh_cookie(&res);
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age=2592000"] {
        assert!(first.contains(attribute), "{attribute} missing from {first}");
    }
    // Served over plain http here: a cookie marked Secure would never be sent back.
    assert!(!first.contains("Secure"), "{first}");
    let body: Value = res.json().await.expect("json");
    assert!(
        body.get("refresh_token").is_none(),
        "the token is not in the body: {body}"
    );
    assert!(body["access_token"].is_string());

    // Refreshing with the cookie answers with its successor in the cookie.
    let res = refresh_with_cookie(&app, &first).await;
    assert_eq!(res.status(), 200);
    let second = refresh_cookie(&res);
    assert_ne!(second, first);
    let body: Value = res.json().await.expect("json");
    assert!(body.get("refresh_token").is_none(), "{body}");
    let access = body["access_token"].as_str().expect("access token").to_owned();
    assert_eq!(app.get("/api/v1/me", &access).await.status(), 200);

    // The spent cookie, presented again (a copy), ends the session and is dropped.
    let res = refresh_with_cookie(&app, &first).await;
    assert_eq!(res.status(), 401);
    assert!(refresh_cookie(&res).contains("Max-Age=0"));
    let res = refresh_with_cookie(&app, &second).await;
    assert_eq!(res.status(), 401, "the whole session ended");

    // Without a token in the body or a cookie, refresh says what to send.
    let p = assert_problem(
        app.call(Method::POST, "/api/v1/auth/refresh", None, Some(&json!({})))
            .await,
        401,
        "invalid_refresh_token",
    )
    .await;
    assert_eq!(p["field"], "refresh_token");
}

#[tokio::test]
async fn signing_out_drops_the_refresh_cookie() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let token = app.sign_in(HANDLER, DEMO_PASSWORD).await;
    let res = app.call(Method::POST, "/api/v1/auth/logout", Some(&token), None).await;
    assert_eq!(res.status(), 204);
    let cookie = refresh_cookie(&res);
    assert!(
        cookie.contains("Max-Age=0") && cookie.contains("Path=/api/v1/auth"),
        "{cookie}"
    );
}
