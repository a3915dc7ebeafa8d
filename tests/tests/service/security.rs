//! What an outside security probe found, each closed and kept closed: sessions that outlived a new password or a
//! disabling, webhooks that reached internal addresses, voters that anyone could become, sign-in limits that vanished
//! with Redis, arrays taken for objects, 422s without `errors[]`, filters outside one's reach answering quietly,
//! an anonymous reporter's phone number reaching the agency, and headers and metrics left open.

use super::issues::{
    citizen, command, report, sql, upload, BEILUN_STAFF, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF,
};
use super::supervision::{receiver, routed_issue};
use minsheng_api::worker::deliver;
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/api/v1/me", token).await
}

async fn refresh(app: &TestApp, tokens: &Value) -> reqwest::Response {
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": tokens["refresh_token"]})),
    )
    .await
}

/// Neither the access token nor the refresh token of `tokens` works any more.
async fn assert_ended(app: &TestApp, tokens: &Value, after: &str) {
    let access = tokens["access_token"].as_str().expect("token");
    assert_problem(me(app, access).await, 401, "invalid_token").await;
    let res = refresh(app, tokens).await;
    assert_eq!(res.status(), 401, "the refresh token still refreshes after {after}");
}

#[tokio::test]
async fn a_new_password_a_new_phone_or_disabling_ends_every_session_and_admins_can_end_them() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let handler = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let wang_id = app
        .get_json("/api/v1/me", &app.sign_in(WANG_DEPUTY, PASSWORD).await)
        .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let account = format!("/api/v1/users/{wang_id}");

    // A password reset by staff: whoever held the old password's tokens is out.
    let before = app.sign_in_tokens(WANG_DEPUTY, PASSWORD).await;
    let new_password = "Fengshan-2026-new";
    app.patch_json(&account, &staff, &json!({"password": new_password}))
        .await;
    assert_ended(&app, &before, "a new password").await;

    // Disabled, then enabled again: the tokens from before do not come back to life.
    let before = app.sign_in_tokens(WANG_DEPUTY, new_password).await;
    app.patch_json(&account, &staff, &json!({"enabled": false})).await;
    app.patch_json(&account, &staff, &json!({"enabled": true})).await;
    assert_ended(&app, &before, "disabling and enabling").await;

    // A new phone number.
    let before = app.sign_in_tokens(WANG_DEPUTY, new_password).await;
    app.patch_json(&account, &staff, &json!({"phone": "13900000099"})).await;
    assert_ended(&app, &before, "a new phone number").await;

    // A name change is not a sign-in change: sessions go on.
    let kept = app.sign_in_tokens("13900000099", new_password).await;
    app.patch_json(&account, &staff, &json!({"name": "王建国"})).await;
    assert_eq!(
        me(&app, kept["access_token"].as_str().expect("token")).await.status(),
        200
    );

    // Signing someone out everywhere: staff over the account and admins; another county's staff do not see it, a
    // handler may not.
    let sessions = format!("{account}/sessions");
    assert_problem(
        app.call(Method::DELETE, &sessions, Some(&beilun), None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.call(Method::DELETE, &sessions, Some(&handler), None).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.call(Method::DELETE, &sessions, Some(&staff), None).await.status(),
        204
    );
    assert_ended(&app, &kept, "staff ended the sessions").await;
    let again = app.sign_in_tokens("13900000099", new_password).await;
    assert_eq!(
        app.call(Method::DELETE, &sessions, Some(&admin), None).await.status(),
        204
    );
    assert_ended(&app, &again, "an admin ended the sessions").await;

    // Nobody disables their own account.
    let staff_id = app.get_json("/api/v1/me", &staff).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let problem = assert_problem(
        app.patch(&format!("/api/v1/users/{staff_id}"), &staff, &json!({"enabled": false}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert!(
        problem["detail"].as_str().expect("detail").contains("own account"),
        "{problem}"
    );
    assert_eq!(me(&app, &staff).await.status(), 200);
}

#[tokio::test]
async fn webhooks_go_only_to_public_addresses_and_trusted_networks_at_registration_and_at_delivery() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_WEBHOOK_TRUSTED_NETWORKS".into(), "10.20.0.0/16".into());
    })
    .await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing = seed.agency("余姚市住房和城乡建设局").expect("seeded").to_string();
    let secret = "whsec-minsheng-housing-2026";
    let register = |url: &str| {
        let body = json!({"agency_id": housing, "url": url, "secret": secret});
        let app = &app;
        let staff = staff.clone();
        async move { app.post("/api/v1/webhooks", &staff, &body).await }
    };
    for inside in [
        "http://127.0.0.1:5432/",
        "http://localhost:6379/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://0.0.0.0:8080/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://2130706433/hook",
        "http://0x7f.1/hook",
        "http://10.0.0.8/hook",
        "http://192.168.1.10/hook",
    ] {
        let problem = assert_problem(register(inside).await, 422, "validation_failed").await;
        assert_eq!(problem["field"], "url", "{inside}: {problem}");
        assert_eq!(problem["errors"][0]["code"], "address_refused", "{inside}: {problem}");
    }
    let res = register("http://10.20.1.5/minsheng").await;
    assert_eq!(res.status(), 201, "a network the administrator trusts");
    // Nothing here may send to a private range, so it goes before anything is delivered.
    let trusted: Value = res.json().await.expect("json");
    let remove = format!("/api/v1/webhooks/{}", trusted["id"].as_str().expect("id"));
    assert_eq!(
        app.call(Method::DELETE, &remove, Some(&staff), None).await.status(),
        204
    );

    // Rows that got past registration some other way (an older version, a name that resolved elsewhere then): the
    // worker checks the address it would connect to, and a refused one is a dead letter at once, never a request.
    let system = receiver(vec![]).await;
    let port = system
        .url
        .rsplit(':')
        .next()
        .expect("port")
        .split('/')
        .next()
        .expect("port")
        .to_owned();
    let staff_id = seed.account(YUYAO_STAFF).expect("seeded");
    for url in [system.url.clone(), format!("http://localhost:{port}/minsheng")] {
        sql(
            &app,
            &format!(
                "INSERT INTO webhooks (id, agency_id, url, secret, enabled, created_by, created_at)
                 VALUES (gen_random_uuid(), '{housing}', '{url}', '{secret}', true, '{staff_id}', now())"
            ),
        )
        .await;
    }
    routed_issue(&app, &deputy, &staff, "阳明路").await;
    assert!(deliver::tick(&app.state).await >= 2, "both were tried");
    assert!(
        system.seen.lock().expect("lock").is_empty(),
        "nothing reached the loopback server"
    );
    assert_eq!(
        sql(
            &app,
            "SELECT 1 FROM outbox WHERE channel = 'webhook' AND status = 'dead' AND last_error LIKE '%loopback%'"
        )
        .await,
        2,
        "both refused deliveries are dead letters saying why"
    );
}

#[tokio::test]
async fn only_a_citizen_who_scanned_a_deputys_card_follows_them() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let wang = seed.account(WANG_DEPUTY).expect("seeded");
    let follow = format!("/api/v1/me/deputies/{wang}");
    // A citizen who scanned a station's code, and one who scanned nothing: neither has met him.
    let at_station = citizen(&app, &fake, &seed, "at-the-station").await;
    let stranger = app.wechat_sign_in(&fake, "from-anywhere").await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    for token in [&at_station, &stranger] {
        let res = app.call(Method::PUT, &follow, Some(token), Some(&json!({}))).await;
        assert_problem(res, 403, "forbidden").await;
    }
    assert_eq!(app.get_json("/api/v1/me/deputies", &stranger).await, json!([]));

    // The stranger scans his card (the mini-program signs in with its scene) and may follow.
    let card = app
        .get(
            &format!("/api/v1/deputies/{wang}/qrcode"),
            &app.sign_in(WANG_DEPUTY, PASSWORD).await,
        )
        .await;
    let scene = card.headers()["x-minsheng-scene"].to_str().expect("ascii").to_owned();
    let scanned = app.wechat_sign_in_at(&fake, "from-anywhere", &scene).await;
    assert_eq!(
        app.call(Method::PUT, &follow, Some(&scanned), Some(&json!({})))
            .await
            .status(),
        200
    );
    // …and rates him only after following him for the required time.
    let year = chrono::Utc::now().format("%Y");
    let rating = format!("/api/v1/deputies/{wang}/performance/voter-rating?year={year}");
    let res = app
        .call(Method::PUT, &rating, Some(&scanned), Some(&json!({"stars": 5})))
        .await;
    assert_problem(res, 403, "forbidden").await;
}

#[tokio::test]
async fn a_json_array_is_not_an_object() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            None,
            Some(&json!([WANG_DEPUTY, PASSWORD])),
        )
        .await;
    assert_problem(res, 400, "invalid_body").await;
    let rules = app.get_json("/api/v1/routing-rules", &staff).await;
    let rule = rules["items"][0]["id"]
        .as_str()
        .or_else(|| rules[0]["id"].as_str())
        .expect("a rule")
        .to_owned();
    let res = app
        .call(
            Method::PATCH,
            &format!("/api/v1/routing-rules/{rule}"),
            Some(&staff),
            Some(&json!([null, null])),
        )
        .await;
    assert_problem(res, 400, "invalid_body").await;
    // An object inside a body is an object too.
    let fake_place = json!({"description": "路灯不亮了。", "location": [30.05, 121.15]});
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let problem = assert_problem(
        app.post("/api/v1/issues", &deputy, &fake_place).await,
        400,
        "invalid_body",
    )
    .await;
    assert_eq!(problem["field"], "location", "{problem}");
}

/// Every 422 names what is wrong in `errors[]`.
async fn assert_rule(res: reqwest::Response, field: &str, code: &str) -> Value {
    let problem = assert_problem(res, 422, "validation_failed").await;
    let errors = problem["errors"].as_array().expect("errors[]");
    assert!(!errors.is_empty(), "{problem}");
    assert_eq!(errors[0]["field"], field, "{problem}");
    assert_eq!(errors[0]["code"], code, "{problem}");
    assert!(
        errors[0]["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{problem}"
    );
    problem
}

#[tokio::test]
async fn every_broken_rule_answers_with_errors() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let one = citizen(&app, &fake, &seed, "citizen-one").await;
    let other = citizen(&app, &fake, &seed, "citizen-two").await;
    let report_with = |token: String, body: Value| {
        let app = &app;
        async move { app.post("/api/v1/issues", &token, &body).await }
    };

    let res = report_with(
        one.clone(),
        json!({"description": "路灯不亮了。", "category_code": "no-such"}),
    )
    .await;
    assert_rule(res, "category_code", "unknown_category").await;

    // Bytes that start like a JPEG but are not one: the sender hears it is unreadable, not the decoder's insides.
    let mut broken = vec![0xFF, 0xD8, 0xFF, 0xE0];
    broken.extend_from_slice(&[0x13; 200]);
    let problem = assert_rule(
        upload(&app, &one, &broken, "broken.jpg").await,
        "file",
        "unreadable_picture",
    )
    .await;
    let detail = problem["detail"].as_str().expect("detail");
    assert!(!detail.ends_with('\n') && !detail.contains("Format error"), "{detail}");

    let photo = |token: String| {
        let app = &app;
        async move {
            let res = upload(app, &token, &super::issues::jpeg_with_exif(), "a.jpg").await;
            let photo: Value = res.json().await.expect("json");
            photo["id"].as_str().expect("id").to_owned()
        }
    };
    let theirs = photo(other.clone()).await;
    let res = report_with(
        one.clone(),
        json!({"description": "路灯不亮了。", "photo_ids": [theirs]}),
    )
    .await;
    assert_rule(res, "photo_ids[0]", "photo_unavailable").await;
    let res = report_with(
        one.clone(),
        json!({"description": "路灯不亮了。", "photo_ids": [uuid::Uuid::new_v4()]}),
    )
    .await;
    assert_rule(res, "photo_ids[0]", "photo_unavailable").await;
    let mine = photo(one.clone()).await;
    report(&app, &one, &json!({"description": "路灯不亮了。", "photo_ids": [mine]})).await;
    let res = report_with(one.clone(), json!({"description": "又坏了一盏。", "photo_ids": [mine]})).await;
    assert_rule(res, "photo_ids[0]", "photo_unavailable").await;
}

#[tokio::test]
async fn a_filter_outside_ones_reach_is_not_found() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let handler = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let beilun_housing = seed.agency("北仑区住房和城乡建设局").expect("seeded");
    let own_agency = seed.agency("余姚市住房和城乡建设局").expect("seeded");
    let xinqi = seed.station("新碶街道人大代表联络站").expect("seeded");
    let fengshan = seed.station("凤山街道人大代表联络站").expect("seeded");
    let period = "from=2026-01-01&to=2026-12-31";
    for (token, path, field) in [
        (&staff, "/api/v1/issues?region=330206".to_owned(), "region"),
        (&staff, "/api/v1/issues?region=999999".to_owned(), "region"),
        (&staff, format!("/api/v1/issues?agency={beilun_housing}"), "agency"),
        (&staff, format!("/api/v1/issues?station={xinqi}"), "station"),
        (&staff, "/api/v1/deadlines?region=330206".to_owned(), "region"),
        (
            &staff,
            format!("/api/v1/stats/overview?region=330206&{period}"),
            "region",
        ),
        (&handler, format!("/api/v1/issues?agency={beilun_housing}"), "agency"),
        (&handler, format!("/api/v1/deadlines?agency={beilun_housing}"), "agency"),
        (&handler, "/api/v1/issues?region=330206".to_owned(), "region"),
        (
            &handler,
            format!("/api/v1/stats/overview?region=330206&{period}"),
            "region",
        ),
        (&deputy, format!("/api/v1/issues?station={xinqi}"), "station"),
        (
            &deputy,
            format!("/api/v1/stats/overview?region=330206&{period}"),
            "region",
        ),
    ] {
        let problem = assert_problem(app.get(&path, token).await, 404, "not_found").await;
        assert_eq!(problem["field"], field, "{path}: {problem}");
    }
    for (token, path) in [
        (&staff, "/api/v1/issues?region=330281001".to_owned()),
        (&staff, format!("/api/v1/deadlines?agency={own_agency}")),
        (&handler, format!("/api/v1/deadlines?agency={own_agency}")),
        (&deputy, format!("/api/v1/issues?station={fengshan}")),
        (&staff, format!("/api/v1/stats/overview?region=330281&{period}")),
    ] {
        assert_eq!(app.get(&path, token).await.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn an_anonymous_reporters_phone_number_does_not_reach_the_agency() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let reporter = citizen(&app, &fake, &seed, "anonymous-one").await;
    let staff = app.sign_in("13900000002", PASSWORD).await;
    let handler = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let issue = report(
        &app,
        &reporter,
        &json!({"description": "路灯坏了，有事打我电话 138 1234 5678。", "category_code": "streetlight", "anonymous": true}),
    )
    .await;
    let id = issue["id"].as_str().expect("id").to_owned();
    command(&app, &staff, &id, "accept", &json!({})).await;
    command(&app, &staff, &id, "route", &json!({})).await;
    let seen_by_staff = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    assert!(seen_by_staff["description"]
        .as_str()
        .expect("text")
        .contains("138 1234 5678"));
    let own = app.get_json(&format!("/api/v1/issues/{id}"), &reporter).await;
    assert!(own["description"].as_str().expect("text").contains("138 1234 5678"));

    // 住建局 handles it: it sees the issue, without the number.
    let agency_view = app.get_json(&format!("/api/v1/issues/{id}"), &handler).await;
    let text = agency_view["description"].as_str().expect("text");
    assert!(text.contains("138 **** **78"), "{text}");
    assert!(!text.contains("1234"), "{text}");
    let timeline = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &handler).await;
    assert!(!timeline.to_string().contains("1234 5678"), "{timeline}");
    let listed = app.get_json("/api/v1/issues", &handler).await;
    assert!(!listed.to_string().contains("1234 5678"), "{listed}");
}

#[tokio::test]
async fn responses_are_not_sniffed_and_metrics_need_the_token() {
    let token = "metrics-token-0123456789";
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_METRICS_TOKEN".into(), token.into());
    })
    .await;
    let res = app.client.get(app.url("/healthz")).send().await.expect("answers");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let res = app
        .client
        .get(app.url("/api/v1/nowhere"))
        .send()
        .await
        .expect("answers");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");

    let res = app.client.get(app.url("/metrics")).send().await.expect("answers");
    assert_problem(res, 401, "unauthenticated").await;
    let res = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("metrics-token-wrong-guess")
        .send()
        .await
        .expect("answers");
    assert_problem(res, 401, "unauthenticated").await;
    let res = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("text").contains("http_requests_total"));
}
