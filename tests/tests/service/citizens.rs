//! What the citizens' app needs of the service (issue #34), proven from outside: points in the system the phone gave
//! them, and WeChat's answers the mini-program meets.

use super::issues::{
    actions, command, fengshan_scene, jpeg_with_exif, report, upload, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY,
    YUYAO_STAFF,
};
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::{assert_problem, TestApp};
use serde_json::json;

/// 余姚凤山 in both systems (the pair computed by an independent implementation, eviltransform on PyPI).
const WGS84: (f64, f64) = (30.0411, 121.1519);
const GCJ02: (f64, f64) = (30.038_781_732_154_398, 121.156_363_536_107_58);

#[tokio::test]
async fn a_point_from_the_mini_program_in_gcj02_is_stored_and_answered_in_wgs84() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let issue = report(
        &app,
        &deputy,
        &json!({"description": "新建路南段的路灯坏了。", "category_code": "streetlight",
                "location": {"latitude": GCJ02.0, "longitude": GCJ02.1, "datum": "gcj02"}}),
    )
    .await;
    let place = &issue["location"];
    let (lat, lng) = (
        place["latitude"].as_f64().expect("lat"),
        place["longitude"].as_f64().expect("lng"),
    );
    assert!(
        (lat - WGS84.0).abs() < 1e-6 && (lng - WGS84.1).abs() < 1e-6,
        "stored as {lat}, {lng}"
    );

    // Nearby duplicates: the same numbers read as GCJ-02 are the same place; read as WGS-84, half a kilometre off.
    let nearby = |datum: &str| {
        format!(
            "/api/v1/issues/nearby?latitude={}&longitude={}&category=streetlight&radius=1000&datum={datum}",
            GCJ02.0, GCJ02.1
        )
    };
    let same = app.get_json(&nearby("gcj02"), &deputy).await;
    assert!(same[0]["distance_m"].as_u64().expect("metres") < 2, "{same}");
    let off = app.get_json(&nearby("wgs84"), &deputy).await;
    assert!(off[0]["distance_m"].as_u64().expect("metres") > 300, "{off}");
}

#[tokio::test]
async fn a_citizen_binds_the_phone_wechat_vouches_for_once_and_only_their_own() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    app.seed_demo().await;
    let citizen = app.wechat_sign_in(&fake, "caller-back").await;
    let (token, id) = (
        citizen["access_token"].as_str().expect("token").to_owned(),
        citizen["user"]["id"].as_str().expect("id").to_owned(),
    );
    let code = fake.phone_code("86", "13812345678");
    let me = app.post("/api/v1/me/phone", &token, &json!({"code": code})).await;
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.expect("json");
    assert_eq!(me["phone"], "13812345678", "the citizen reads their own number whole");
    assert_eq!(app.get_json("/api/v1/me", &token).await["phone"], "13812345678");
    let admin = app.admin_token().await;
    assert_eq!(
        app.get_json(&format!("/api/v1/users/{id}"), &admin).await["phone"],
        "13812345678"
    );

    // A code works once; a foreign number cannot be called back; a number another account holds is a 409.
    let again = app.post("/api/v1/me/phone", &token, &json!({"code": code})).await;
    let problem = assert_problem(again, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "invalid_phone_code");
    let abroad = fake.phone_code("852", "61234567");
    let problem = assert_problem(
        app.post("/api/v1/me/phone", &token, &json!({"code": abroad})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "not_mainland");
    let staffs = fake.phone_code("86", "13900000001");
    let problem = assert_problem(
        app.post("/api/v1/me/phone", &token, &json!({"code": staffs})).await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(problem["field"], "phone");

    // Only citizens bind a phone this way.
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let code = fake.phone_code("86", "13812340000");
    assert_problem(
        app.post("/api/v1/me/phone", &deputy, &json!({"code": code})).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn without_wechat_a_phone_cannot_be_confirmed_through_it() {
    let fake = FakeWeChat::start().await;
    let with = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    with.seed_demo().await;
    let citizen = with.wechat_sign_in(&fake, "no-wechat-later").await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    // The same database served by an instance without WeChat settings.
    let mut env = with.env.clone();
    for key in [
        "MINSHENG_WECHAT_APPID",
        "MINSHENG_WECHAT_SECRET",
        "MINSHENG_WECHAT_API_BASE",
    ] {
        env.remove(key);
    }
    let served = minsheng_tests::Binary::serve(&env, "warn").await;
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/me/phone", served.base))
        .bearer_auth(&citizen)
        .json(&json!({"code": "anything"}))
        .send()
        .await
        .expect("answers");
    drop(served.stop());
    assert_problem(res, 503, "wechat_not_configured").await;
}

#[tokio::test]
async fn a_scene_opened_outside_wechat_gets_links_into_the_mini_program_made_once_and_shared() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let scene = fengshan_scene(&seed);
    let path = format!("/api/v1/scenes/{scene}/wechat-link");
    let first = app.public_json(&path).await;
    assert!(
        first["url_link"]
            .as_str()
            .is_some_and(|l| l.starts_with("https://wxaurl.cn/")),
        "{first}"
    );
    assert!(
        first["scheme"]
            .as_str()
            .is_some_and(|l| l.starts_with("weixin://dl/business/?t=")),
        "{first}"
    );
    let calls = fake.link_calls();
    assert_eq!(calls.len(), 2, "one URL Link and one URL Scheme");
    assert_eq!(calls[0]["path"], minsheng_tests::wechat::PAGE);
    assert_eq!(calls[0]["query"], format!("scene={scene}"));
    assert_eq!(calls[1]["jump_wxa"]["query"], format!("scene={scene}"));
    assert_eq!(calls[0]["expire_interval"], 30);
    // Another visitor, on another instance, gets the same links without asking WeChat again.
    let again = app.another_instance().public_json(&path).await;
    assert_eq!(again, first);
    assert_eq!(fake.link_calls().len(), 2);
    let res = app
        .client
        .get(app.url("/api/v1/scenes/k7mq2xw9adf3hn4rtp8e/wechat-link"))
        .send()
        .await
        .expect("answers");
    assert_problem(res, 404, "not_found").await;

    // Without WeChat the page can only say: scan it with WeChat.
    let plain = TestApp::spawn().await;
    let seed = plain.seed_demo().await;
    let res = plain
        .client
        .get(plain.url(&format!("/api/v1/scenes/{}/wechat-link", fengshan_scene(&seed))))
        .send()
        .await
        .expect("answers");
    assert_problem(res, 503, "wechat_not_configured").await;
}

const PUSH_TOKEN: &str = "minshengPush2026";

#[tokio::test]
async fn a_citizens_photo_goes_to_wechats_picture_check_and_a_risky_verdict_holds_its_issue_for_review() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |env| {
        env.insert("MINSHENG_WECHAT_PUSH_TOKEN".into(), PUSH_TOKEN.into());
    })
    .await;
    let seed = app.seed_demo().await;
    let citizen = app
        .wechat_sign_in_at(&fake, "photo-taker", &fengshan_scene(&seed))
        .await;
    let photo: serde_json::Value = upload(&app, &citizen, &jpeg_with_exif(), "street.jpg")
        .await
        .json()
        .await
        .expect("json");
    let photo_id = photo["id"].as_str().expect("id").to_owned();

    // The picture went to WeChat with a link WeChat can fetch without signing in, for a while, and nobody else can.
    let checks = fake.media_checks();
    assert_eq!(checks.len(), 1);
    let (sent, trace_id) = &checks[0];
    assert_eq!(sent["openid"], FakeWeChat::openid("photo-taker"));
    assert_eq!(
        (sent["media_type"].as_u64(), sent["version"].as_u64()),
        (Some(2), Some(2))
    );
    let link = sent["media_url"].as_str().expect("a link");
    let path = &link[link.find("/api/v1/").expect("the service's path")..];
    let fetched = app.client.get(app.url(path)).send().await.expect("answers");
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.headers()["content-type"], "image/jpeg");
    let forged = path.replace("signature=", "signature=00");
    let res = app.client.get(app.url(&forged)).send().await.expect("answers");
    assert_problem(res, 404, "not_found").await;

    let issue = report(
        &app,
        &citizen,
        &json!({"description": "小区门口的垃圾堆了好几天。", "category_code": "garbage", "photo_ids": [photo_id]}),
    )
    .await;
    let id = issue["id"].as_str().expect("id");

    // WeChat checks the address, then pushes its verdict: signed pushes only.
    let echo = app
        .client
        .get(app.url("/api/v1/wechat/push"))
        .query(&[
            (
                "signature",
                FakeWeChat::push_signature(PUSH_TOKEN, "1765000000", "nonce1"),
            ),
            ("timestamp", "1765000000".into()),
            ("nonce", "nonce1".into()),
            ("echostr", "echo-4321".into()),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(echo.text().await.expect("text"), "echo-4321");
    let forged =
        FakeWeChat::push_media_verdict(&app.url("/api/v1/wechat/push"), "not-the-token", trace_id, "pass").await;
    assert_problem(forged, 401, "unauthenticated").await;
    let pushed = FakeWeChat::push_media_verdict(&app.url("/api/v1/wechat/push"), PUSH_TOKEN, trace_id, "risky").await;
    assert_eq!(pushed.status(), 200);
    assert_eq!(pushed.text().await.expect("text"), "success");

    // A verdict that comes before the report: the report is held for review from the start.
    let early: serde_json::Value = upload(&app, &citizen, &another_jpeg(), "b.jpg")
        .await
        .json()
        .await
        .expect("json");
    let (_, early_trace) = fake.media_checks().last().cloned().expect("sent");
    let pushed =
        FakeWeChat::push_media_verdict(&app.url("/api/v1/wechat/push"), PUSH_TOKEN, &early_trace, "risky").await;
    assert_eq!(pushed.status(), 200);
    let held = report(
        &app,
        &citizen,
        &json!({"description": "河道里漂着很多垃圾。", "category_code": "garbage", "photo_ids": [early["id"]]}),
    )
    .await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let held_id = held["id"].as_str().expect("id");
    assert_eq!(
        app.get_json(&format!("/api/v1/issues/{held_id}"), &staff).await["needs_review"],
        true
    );

    // The issue is held for staff to review (out of the public results), and WeChat's link no longer works.
    assert_eq!(
        app.get_json(&format!("/api/v1/issues/{id}"), &staff).await["needs_review"],
        true
    );
    let res = app.client.get(app.url(path)).send().await.expect("answers");
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn without_a_push_token_the_push_address_does_not_exist_and_photos_are_not_sent() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let citizen = app.wechat_sign_in_at(&fake, "no-push", &fengshan_scene(&seed)).await;
    assert_eq!(upload(&app, &citizen, &jpeg_with_exif(), "a.jpg").await.status(), 201);
    assert!(fake.media_checks().is_empty());
    let res = FakeWeChat::push_media_verdict(&app.url("/api/v1/wechat/push"), PUSH_TOKEN, "6abc", "risky").await;
    assert_problem(res, 404, "not_found").await;
}

/// A code asked for `phone`, as the phone web page asks.
async fn ask_code(app: &TestApp, phone: &str) -> reqwest::Response {
    app.call(
        reqwest::Method::POST,
        "/api/v1/auth/sms/code",
        None,
        Some(&json!({"phone": phone})),
    )
    .await
}

async fn sms_sign_in(app: &TestApp, phone: &str, code: &str) -> reqwest::Response {
    app.call(
        reqwest::Method::POST,
        "/api/v1/auth/sms",
        None,
        Some(&json!({"phone": phone, "code": code})),
    )
    .await
}

#[tokio::test]
async fn on_the_phone_web_pages_a_citizen_signs_in_with_a_texted_code_as_the_same_citizen() {
    let sms = minsheng_tests::sms::FakeSms::start().await;
    let fake = FakeWeChat::start().await;
    let settings = sms.env();
    let app = TestApp::spawn_with_wechat(&fake, |env| env.extend(settings)).await;
    app.seed_demo().await;

    // A new number: a code is texted, a wrong one is refused, the right one signs a new citizen in, once.
    assert_eq!(ask_code(&app, "13811112222").await.status(), 200);
    let code = sms.last_code("13811112222").expect("a text");
    assert_eq!(code.len(), 6);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_problem(sms_sign_in(&app, "13811112222", wrong).await, 401, "invalid_login_code").await;
    let res = sms_sign_in(&app, "13811112222", &code).await;
    assert_eq!(res.status(), 200);
    let tokens: serde_json::Value = res.json().await.expect("json");
    assert_eq!(tokens["user"]["roles"], json!(["citizen"]));
    assert_eq!(tokens["user"]["phone"], "13811112222");
    assert_problem(sms_sign_in(&app, "13811112222", &code).await, 401, "invalid_login_code").await;
    // Another code at once is too soon.
    assert_problem(ask_code(&app, "13811112222").await, 429, "rate_limited").await;

    // A citizen who came through WeChat and bound this number is the same citizen by text.
    let wechat = app.wechat_sign_in(&fake, "both-ways").await;
    let (token, id) = (
        wechat["access_token"].as_str().expect("token"),
        wechat["user"]["id"].clone(),
    );
    let bind = app
        .post(
            "/api/v1/me/phone",
            token,
            &json!({"code": fake.phone_code("86", "13833334444")}),
        )
        .await;
    assert_eq!(bind.status(), 200);
    assert_eq!(ask_code(&app, "13833334444").await.status(), 200);
    let code = sms.last_code("13833334444").expect("a text");
    let same: serde_json::Value = sms_sign_in(&app, "13833334444", &code)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(same["user"]["id"], id);

    // A staff member's number gets the same answer but no text, and cannot sign in this way.
    let before = sms.sent().len();
    assert_eq!(ask_code(&app, YUYAO_STAFF).await.status(), 200);
    assert_eq!(sms.sent().len(), before, "no text to a staff number");
    assert_problem(
        sms_sign_in(&app, YUYAO_STAFF, "123456").await,
        401,
        "invalid_login_code",
    )
    .await;

    // Five wrong tries spend a code; the right one then no longer works.
    assert_eq!(ask_code(&app, "13855556666").await.status(), 200);
    let code = sms.last_code("13855556666").expect("a text");
    let wrong = if code == "999999" { "999998" } else { "999999" };
    for _ in 0..5 {
        assert_problem(sms_sign_in(&app, "13855556666", wrong).await, 401, "invalid_login_code").await;
    }
    assert_problem(sms_sign_in(&app, "13855556666", &code).await, 401, "invalid_login_code").await;

    // The provider refusing a number is a 429 for that number; the code is forgotten, nothing half-kept.
    sms.fail_next("LimitExceeded.PhoneNumberDailyLimit");
    assert_problem(ask_code(&app, "13877778888").await, 429, "rate_limited").await;
    assert_eq!(sms.last_code("13877778888"), None);
}

#[tokio::test]
async fn text_messages_are_refused_when_not_configured_and_when_the_key_is_wrong() {
    let app = TestApp::spawn().await;
    assert_problem(ask_code(&app, "13811112222").await, 503, "sms_not_configured").await;
    assert_problem(
        sms_sign_in(&app, "13811112222", "123456").await,
        503,
        "sms_not_configured",
    )
    .await;

    let sms = minsheng_tests::sms::FakeSms::start().await;
    let mut settings = sms.env();
    for (k, v) in &mut settings {
        if k == "MINSHENG_SMS_SECRET_KEY" {
            *v = "not-the-key".to_owned();
        }
    }
    let wrong_key = TestApp::spawn_with(|env| env.extend(settings)).await;
    assert_problem(ask_code(&wrong_key, "13811112222").await, 503, "service_unavailable").await;
    assert!(sms.sent().is_empty(), "the stand-in refused the signature");
    // The code was not kept: asking again is not "too soon".
    assert_problem(ask_code(&wrong_key, "13811112222").await, 503, "service_unavailable").await;
}

#[tokio::test]
async fn a_county_on_aliyun_sms_texts_the_code_through_it_and_a_wrong_key_is_refused_there() {
    let sms = minsheng_tests::sms::FakeSms::start().await;
    let settings = sms.env_aliyun();
    let app = TestApp::spawn_with(|env| env.extend(settings)).await;
    assert_eq!(ask_code(&app, "13855556666").await.status(), 200);
    let code = sms.last_code("13855556666").expect("a text through Aliyun's contract");
    let res = sms_sign_in(&app, "13855556666", &code).await;
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = res.json().await.expect("json");
    assert_eq!(me["user"]["roles"], json!(["citizen"]));

    let mut settings = sms.env_aliyun();
    for (k, v) in &mut settings {
        if k == "MINSHENG_SMS_SECRET_KEY" {
            *v = "not-the-key".to_owned();
        }
    }
    let wrong_key = TestApp::spawn_with(|env| env.extend(settings)).await;
    assert_problem(ask_code(&wrong_key, "13877778888").await, 503, "service_unavailable").await;
    assert!(
        sms.last_code("13877778888").is_none(),
        "the stand-in refused the signature"
    );
}

/// A small JPEG unlike `jpeg_with_exif`'s (the same bytes again would be the same photo).
fn another_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(48, 32, image::Rgb([200, 80, 20]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).expect("encodes");
    out.into_inner()
}

#[tokio::test]
async fn a_citizen_with_the_same_problem_joins_the_open_issue_nearby_follows_it_and_rates_it() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let scene = fengshan_scene(&seed);
    let reporter = app.wechat_sign_in_at(&fake, "first-to-report", &scene).await;
    let neighbour = app.wechat_sign_in_at(&fake, "next-door", &scene).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let issue = report(
        &app,
        &reporter,
        &json!({"description": "新建路南段路灯坏了，有事请打13812345678找我。", "category_code": "streetlight",
                "location": {"latitude": WGS84.0, "longitude": WGS84.1}}),
    )
    .await;
    let id = issue["id"].as_str().expect("id").to_owned();

    // About to report the same thing, the neighbour is shown the open issue near them, as the public would see it.
    let near = format!(
        "/api/v1/issues/nearby?latitude={}&longitude={}&category=streetlight&datum=gcj02",
        GCJ02.0, GCJ02.1
    );
    let shown = app.get_json(&near, &neighbour).await;
    assert_eq!(shown[0]["issue"]["id"], id.as_str(), "{shown}");
    let excerpt = shown[0]["issue"]["excerpt"].as_str().expect("excerpt");
    assert!(
        !excerpt.contains("13812345678") && excerpt.contains("路灯"),
        "{excerpt}"
    );
    assert_problem(
        app.get(&format!("/api/v1/issues/{id}"), &neighbour).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get(&near, &housing).await, 403, "forbidden").await;

    // They join instead of reporting: it is now theirs to follow, read as the public reads it.
    let joined = command(&app, &neighbour, &id, "join", &json!({})).await;
    assert_eq!(joined["join_count"], 1);
    assert!(
        joined.get("reporter").is_none_or(serde_json::Value::is_null),
        "{joined}"
    );
    assert!(!joined["description"].as_str().expect("text").contains("13812345678"));
    assert!(!actions(&joined).contains(&"join".to_owned()));
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/join"), &neighbour, &json!({}))
            .await,
        409,
        "wrong_state",
    )
    .await;
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/join"), &reporter, &json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/join"), &deputy, &json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let theirs = app.get_json("/api/v1/issues", &neighbour).await;
    assert_eq!(theirs["items"][0]["id"], id.as_str());
    let seen_by_staff = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    assert_eq!(seen_by_staff["join_count"], 1);
    let overview = app.get_json("/api/v1/stats/overview", &staff).await;
    assert_eq!(overview["counts"]["joins"], 1, "{overview}");

    // They hear what the reporter hears, and they and the reporter read each other's acts unnamed.
    command(&app, &staff, &id, "accept", &json!({})).await;
    command(&app, &staff, &id, "route", &json!({})).await;
    command(&app, &housing, &id, "sign", &json!({})).await;
    command(
        &app,
        &housing,
        &id,
        "reply",
        &json!({"category": "A", "reply": "已修复。"}),
    )
    .await;
    let told = app.get_json("/api/v1/notifications", &neighbour).await;
    let kinds: Vec<&str> = told["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"accepted") && kinds.contains(&"replied"), "{told}");
    let timeline = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &neighbour).await;
    let report_event = &timeline[0];
    assert!(report_event["actor"].is_null(), "{report_event}");
    let timeline = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &reporter).await;
    let join_event = timeline
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "join")
        .expect("the join is on the timeline");
    assert!(join_event["actor"].is_null(), "{join_event}");

    // It waits for their rating in their inbox, until they gave it; their rating is heard, the reporter's decides.
    let to_rate = |inbox: &serde_json::Value| {
        inbox["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter(|s| s["reason"] == "to_rate")
            .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
            .filter_map(|i| i["id"].as_str().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        to_rate(&app.get_json("/api/v1/inbox", &neighbour).await),
        vec![id.clone()]
    );
    let rated = command(&app, &neighbour, &id, "ratings", &json!({"rating": "dissatisfied"})).await;
    assert_eq!(rated["status"], "replied");
    assert!(to_rate(&app.get_json("/api/v1/inbox", &neighbour).await).is_empty());
    assert_eq!(
        to_rate(&app.get_json("/api/v1/inbox", &reporter).await),
        vec![id.clone()]
    );
    let closed = command(&app, &reporter, &id, "ratings", &json!({"rating": "satisfied"})).await;
    assert_eq!(closed["status"], "closed");
    let shown = app.get_json(&near, &neighbour).await;
    assert_eq!(shown, json!([]), "a closed issue is joined no more");
}

#[tokio::test]
async fn a_plain_qr_code_leads_to_the_scenes_phone_page_and_a_texted_sign_in_remembers_the_scan() {
    let sms = minsheng_tests::sms::FakeSms::start().await;
    let settings = sms.env();
    let app = TestApp::spawn_with(|env| env.extend(settings)).await;
    let seed = app.seed_demo().await;
    let scene = fengshan_scene(&seed);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = client
        .get(app.url(&format!("/s/{scene}")))
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        format!("/m/#/pages/scene/index?scene={scene}").as_str()
    );
    let res = client.get(app.url("/s/NOT-A-SCENE")).send().await.expect("answers");
    assert_problem(res, 404, "not_found").await;
    let page = client.get(app.url("/m/")).send().await.expect("answers");
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"),
        "{policy}"
    );

    // Signing in on the scene's page remembers the scan: the next report goes to the station.
    assert_eq!(ask_code(&app, "13833334444").await.status(), 200);
    let code = sms.last_code("13833334444").expect("a text");
    let res = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/sms",
            None,
            Some(&json!({"phone": "13833334444", "code": code, "scene": "nosuchscene"})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "unknown_scene");
    let res = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/sms",
            None,
            Some(&json!({"phone": "13833334444", "code": code, "scene": scene})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let token: serde_json::Value = res.json().await.expect("json");
    let token = token["access_token"].as_str().expect("token");
    let issue = report(&app, token, &json!({"description": "凤山街道的井盖松动了，很危险。"})).await;
    assert_eq!(issue["station"]["name"], "凤山街道人大代表联络站");
}
