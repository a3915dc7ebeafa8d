//! What a web attacker's probe and a county clerk's walk found in features that already worked (issue #33), each
//! closed and kept closed: sign-in limits a stranger could turn against the right person, limits that vanished with
//! Redis, headers missing from some answers, files outside the console's folder, look-alike names, raw names in the
//! bulletin, text without a limit, dates that cannot be, phone numbers published as typed, and lists that answered a
//! region that does not exist with an empty page.

use super::ballots::{agency_id, deputies, domain_shanghai, elect};
use super::issues::{report, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use super::projects::county;
use chrono::Duration;
use minsheng_tests::servers::PrivateRedis;
use minsheng_tests::{assert_problem, TestApp};
use serde_json::{json, Value};

const SIGN_IN: &str = "/api/v1/auth/password";

/// A password sign-in as if from `address` (the service trusts `X-Forwarded-For` in these tests).
async fn sign_in_from(app: &TestApp, address: &str, phone: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url(SIGN_IN))
        .header("x-forwarded-for", address)
        .json(&json!({"phone": phone, "password": password}))
        .send()
        .await
        .expect("answers")
}

/// Strangers at twelve addresses send wrong passwords for one phone; each address is then refused, the right
/// password from one of theirs too, while the owner's own address signs in, and a fresh address is still heard once.
async fn strangers_do_not_lock_the_owner_out(app: &TestApp) {
    for n in 1..=12 {
        let res = sign_in_from(app, &format!("10.9.0.{n}"), WANG_DEPUTY, "a-wrong-guess-1").await;
        assert_eq!(res.status(), 401, "a first guess from address {n} is heard (and wrong)");
    }
    for n in 1..=12 {
        let res = sign_in_from(app, &format!("10.9.0.{n}"), WANG_DEPUTY, "a-wrong-guess-2").await;
        assert_problem(res, 429, "rate_limited").await;
    }
    let res = sign_in_from(app, "10.9.0.1", WANG_DEPUTY, PASSWORD).await;
    assert_problem(res, 429, "rate_limited").await;
    // The owner, from an address that never failed for this phone, signs in.
    let res = sign_in_from(app, "10.7.7.7", WANG_DEPUTY, PASSWORD).await;
    assert_eq!(res.status(), 200, "the right password from a clean address is admitted");
    // One address guessing alone meets the delay after a few wrong passwords, long before the hard limit.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            sign_in_from(app, "10.8.8.8", "13900000012", "a-wrong-guess-3")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(&statuses[..3], &[401, 401, 401], "{statuses:?}");
    assert!(
        statuses[3..].contains(&429),
        "a burst from one address waits: {statuses:?}"
    );
    let res = sign_in_from(app, "10.8.8.9", "13900000012", PASSWORD).await;
    assert_eq!(
        res.status(),
        200,
        "another address is not held by the first one's delay"
    );
}

#[tokio::test]
async fn strangers_guessing_a_password_cannot_keep_its_owner_out() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_TRUST_FORWARDED_FOR".into(), "true".into());
    })
    .await;
    app.seed_demo().await;
    strangers_do_not_lock_the_owner_out(&app).await;
}

#[tokio::test]
async fn without_redis_the_sign_in_and_write_limits_still_hold_in_memory() {
    let mut redis = PrivateRedis::start();
    let url = redis.url();
    let app = TestApp::spawn_with(|env| {
        env.insert("REDIS_URL".into(), url);
        env.insert("MINSHENG_TRUST_FORWARDED_FOR".into(), "true".into());
        env.insert("MINSHENG_WRITES_PER_MINUTE".into(), "5".into());
    })
    .await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    redis.stop();
    strangers_do_not_lock_the_owner_out(&app).await;
    // Writes per account: the sixth change in a minute is refused although Redis is away.
    let path = format!("/api/v1/notifications/{}/read", uuid::Uuid::now_v7());
    for n in 1..=5 {
        let res = app.post(&path, &staff, &json!({})).await;
        assert_eq!(
            res.status(),
            404,
            "write {n} goes ahead (to a notification that does not exist)"
        );
    }
    let res = app.post(&path, &staff, &json!({})).await;
    assert_problem(res, 429, "rate_limited").await;
}

/// The headers every answer must carry, whoever made it.
fn assert_secured(res: &reqwest::Response, what: &str) {
    let h = res.headers();
    assert_eq!(
        h.get("x-content-type-options")
            .map(reqwest::header::HeaderValue::as_bytes),
        Some(&b"nosniff"[..]),
        "{what}"
    );
    assert_eq!(
        h.get("x-frame-options").map(reqwest::header::HeaderValue::as_bytes),
        Some(&b"DENY"[..]),
        "{what}"
    );
    let policy = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(policy.contains("frame-ancestors 'none'"), "{what}: {policy:?}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_personal_data_is_never_stored_on_the_way() {
    let console = tempfile_dir("console");
    std::fs::write(console.join("index.html"), "<!doctype html><title>民声</title>").expect("index");
    let secret = tempfile_dir("outside").join("secret.txt");
    std::fs::write(&secret, "outside the console").expect("secret");
    std::os::unix::fs::symlink(&secret, console.join("leak.txt")).expect("symlink");
    std::os::unix::fs::symlink(secret.parent().expect("folder"), console.join("up")).expect("symlink");
    let folder = console.to_string_lossy().into_owned();
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_CONSOLE_DIR".into(), folder);
        env.insert("MINSHENG_PUBLIC_URL".into(), "https://minsheng.example.gov.cn".into());
    })
    .await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let get = |path: &str| app.client.get(app.url(path)).send();

    // The static files' own refusals, and links that lead out of the folder.
    for path in [
        "/console/.env",
        "/console/..%2fx",
        "/console/leak.txt",
        "/console/up/secret.txt",
    ] {
        let res = get(path).await.expect("answers");
        assert!(res.status().is_client_error(), "{path}: {}", res.status());
        assert_secured(&res, path);
        let body = res.text().await.expect("body");
        assert!(
            !body.contains("outside the console"),
            "{path} served a file outside the console"
        );
    }
    let page = get("/console/").await.expect("answers");
    assert_eq!(page.status(), 200);
    assert_secured(&page, "the console");
    assert!(page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .contains("script-src 'self'"));

    // The docs: a policy of their own, no framing, and a pasted token not kept in the browser.
    let docs = get("/docs/").await.expect("answers");
    assert_eq!(docs.status(), 200);
    assert_secured(&docs, "/docs/");
    let init = get("/docs/swagger-initializer.js")
        .await
        .expect("answers")
        .text()
        .await
        .expect("js");
    assert!(
        init.contains("\"persistAuthorization\": false") || init.contains("\"persistAuthorization\":false"),
        "Swagger UI keeps a pasted token: {init}"
    );

    // The API: personal data is never stored by a cache, and https deployments pin https.
    for path in [
        "/api/v1/me",
        "/api/v1/issues",
        "/api/v1/inbox",
        "/api/v1/notifications",
        "/api/v1/users",
    ] {
        let res = app.get(path, &staff).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_secured(&res, path);
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
        assert!(
            res.headers()["strict-transport-security"]
                .to_str()
                .expect("ascii")
                .contains("max-age="),
            "{path}"
        );
    }
    let unknown = get("/api/v1/no-such-thing").await.expect("answers");
    assert_eq!(unknown.status(), 404);
    assert_secured(&unknown, "a 404 of the router");
}

fn tempfile_dir(what: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("minsheng-{what}-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    dir
}

#[tokio::test]
async fn look_alike_names_are_refused_and_names_compare_as_they_show() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    // Invisible or direction characters are refused; the same name with a space in it, or a full-width space after
    // it, is the name that exists already.
    for (name, status, code) in [
        ("余姚市住房和\u{200b}城乡建设局", 422, "invisible_characters"),
        ("\u{202e}局设建乡城和房住市姚余", 422, "invisible_characters"),
        ("余姚市住房和 城乡建设局", 409, "already_exists"),
        ("余姚市住房和城乡建设局　", 409, "already_exists"),
    ] {
        let body = json!({"region_code": "330281", "name": name, "category_codes": ["road"]});
        let res = app.post("/api/v1/agencies", &admin, &body).await;
        assert_eq!(res.status(), status, "{name}");
        let problem: Value = res.json().await.expect("a problem");
        let (field, said) = match problem["errors"].get(0) {
            Some(e) => (&e["field"], &e["code"]),
            None => (&problem["field"], &problem["code"]),
        };
        assert_eq!((field.as_str(), said.as_str()), (Some("name"), Some(code)), "{problem}");
    }
    for (path, body) in [
        (
            "/api/v1/regions",
            json!({"code": "330281199", "name": "凤山\u{200d}街道", "level": "township", "parent_code": "330281"}),
        ),
        (
            "/api/v1/categories",
            json!({"code": "lookalike", "name": "路\u{2066}灯"}),
        ),
        (
            "/api/v1/stations",
            json!({"region_code": "330281", "name": "凤山\u{feff}联络站", "address": "凤山路1号"}),
        ),
        (
            "/api/v1/users",
            json!({"role": "staff", "name": "王\u{202d}伟", "phone": "13911110000", "password": "a-good-password-1", "region_code": "330281"}),
        ),
    ] {
        let problem = assert_problem(app.post(path, &admin, &body).await, 422, "validation_failed").await;
        assert_eq!(
            problem["errors"][0]["code"], "invisible_characters",
            "{path}: {problem}"
        );
    }
    // A Kangxi radical for 水 is the same name as the real 水利局's; full-width punctuation is kept as typed.
    let res = app
        .post(
            "/api/v1/agencies",
            &admin,
            &json!({"region_code": "330281", "name": "余姚市⽔利局", "category_codes": ["road"]}),
        )
        .await;
    assert_eq!(assert_problem(res, 409, "already_exists").await["field"], "name");
    let made: Value = app
        .post(
            "/api/v1/categories",
            &admin,
            &json!({"code": "lookalike", "name": "人行道（步道）"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(made["name"], "人行道（步道）");
    // A description may hold right-to-left text, but cannot turn around what is shown after it.
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let issue = report(
        &app,
        &deputy,
        &json!({"description": "路灯坏了\u{202e}很久了", "category_code": "streetlight",
                "location": {"latitude": 30.05, "longitude": 121.15}}),
    )
    .await;
    assert_eq!(issue["description"], "路灯坏了\u{202e}很久了\u{202c}");
}

#[tokio::test]
async fn every_free_text_field_has_a_documented_limit_and_longer_text_is_refused_naming_it() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let spec = app.public_json("/api-docs/openapi.json").await;
    // Strings that are not text a person writes: codes, identifiers, tokens, numbers and addresses of machines.
    let not_text = [
        "region_code",
        "category_code",
        "parent_code",
        "code",
        "phone",
        "token",
        "signature",
        "blinded_token",
        "threshold",
        "url",
        "secret",
        "refresh_token",
        "scene",
        "item",
        "cursor",
        "level",
        "role",
        "category",
        "rating",
        "interval",
        "deputy_level",
        "refresh_token_in",
        "key",
    ];
    let mut missing = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else {
                continue;
            };
            walk(&spec, schema, &format!("{method} {path}"), &not_text, &mut missing, 0);
        }
    }
    assert!(missing.is_empty(), "free-text fields without maxLength: {missing:#?}");

    // The server holds the documented limits: one character more is a 422 naming the field.
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let long = |n: usize| "长".repeat(n);
    let res = app
        .post(
            "/api/v1/issues",
            &deputy,
            &json!({"description": long(2001), "category_code": "streetlight"}),
        )
        .await;
    assert_eq!(
        assert_problem(res, 422, "validation_failed").await["errors"][0]["field"],
        "description"
    );
    let issue = report(
        &app,
        &deputy,
        &json!({"description": long(2000), "category_code": "streetlight"}),
    )
    .await;
    let id = issue["id"].as_str().expect("id");
    let res = app
        .post(
            &format!("/api/v1/issues/{id}/comments"),
            &deputy,
            &json!({"body": long(9800), "internal": false}),
        )
        .await;
    assert_eq!(
        assert_problem(res, 422, "validation_failed").await["errors"][0]["field"],
        "body"
    );
}

/// Every string property under `schema` that is free text and has no `maxLength`, named by where it is.
fn walk(spec: &Value, schema: &Value, at: &str, not_text: &[&str], missing: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let target = spec.pointer(&r.replace("#/", "/")).expect("a $ref resolves");
        return walk(spec, target, at, not_text, missing, depth + 1);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for s in schema[key].as_array().into_iter().flatten() {
            walk(spec, s, at, not_text, missing, depth + 1);
        }
    }
    if let Some(items) = schema.get("items") {
        walk(spec, items, &format!("{at}[]"), not_text, missing, depth + 1);
    }
    for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
        let field = format!("{at}.{name}");
        let prop = match prop["$ref"].as_str() {
            Some(r) => spec.pointer(&r.replace("#/", "/")).expect("a $ref resolves"),
            None => prop,
        };
        let is_string =
            prop["type"] == "string" || prop["type"].as_array().is_some_and(|t| t.iter().any(|t| t == "string"));
        let is_text = is_string
            && prop.get("format").is_none()
            && prop.get("enum").is_none()
            && prop.get("pattern").is_none()
            && !not_text.contains(&name.as_str());
        if is_text && prop.get("maxLength").is_none() {
            missing.push(field.clone());
        }
        walk(spec, prop, &field, not_text, missing, depth + 1);
    }
}

#[tokio::test]
async fn dates_that_cannot_be_are_refused() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let roster = deputies(&app, 2).await;
    let now = app.state.clock.now();
    let today = now.with_timezone(&domain_shanghai()).date_naive();
    for planned_on in [
        chrono::NaiveDate::from_ymd_opt(1999, 1, 1).expect("date"),
        today - Duration::days(1),
    ] {
        let body = json!({
            "region_code": "330281", "title": "2026年民生实事项目代表票决", "session": "第六次会议", "seats": 1,
            "opens_at": now - Duration::minutes(1), "closes_at": now + Duration::hours(2),
            "roster": roster.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            "candidates": [
                {"title": "加装电梯", "summary": "年内加装。", "agency_id": housing, "budget_yuan": 1,
                 "milestones": [{"title": "招标", "planned_on": planned_on}]},
                {"title": "公厕", "summary": "新建。", "agency_id": housing, "budget_yuan": 1},
            ],
        });
        let problem = assert_problem(
            app.post("/api/v1/ballots", &staff, &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            problem["errors"][0]["field"], "candidates[0].milestones[0].planned_on",
            "{problem}"
        );
        assert_eq!(problem["errors"][0]["code"], "too_early", "{problem}");
    }
    // A reception day still to come is not recorded (and so earns no points).
    let station = app.get_json("/api/v1/stations?region=330281", &staff).await["items"][0]["id"]
        .as_str()
        .expect("a station")
        .to_owned();
    let deputy = app
        .get_json(&format!("/api/v1/users?role=deputy&station={station}"), &staff)
        .await;
    let deputy_id = deputy["items"][0]["id"].as_str().map(str::to_owned);
    let body = json!({"held_on": today + Duration::days(30), "deputy_ids": deputy_id.into_iter().collect::<Vec<_>>(),
                      "topics": "停车难", "visitors": 12});
    let res = app
        .post(&format!("/api/v1/stations/{station}/receptions"), &staff, &body)
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "held_on", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "in_future", "{problem}");
}

#[tokio::test]
async fn phone_numbers_typed_into_a_projects_comments_and_reports_are_masked_in_public() {
    let (app, fake, _) = county().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let roster = deputies(&app, 2).await;
    let today = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    let (_, lifts) = elect(
        &app,
        &staff,
        &roster,
        &json!([
            {"title": "老旧小区加装电梯", "summary": "年内加装50台。", "agency_id": housing, "budget_yuan": 1,
             "milestones": [{"title": "完成施工招标", "planned_on": today + Duration::days(10)}]},
            {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": housing, "budget_yuan": 1},
        ]),
    )
    .await;
    let citizen = app.wechat_sign_in(&fake, "citizen-with-a-phone").await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let res = app
        .post(
            &format!("/api/v1/projects/{lifts}/comments"),
            &citizen,
            &json!({"body": "施工太吵，请联系我13812345678"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let handler = app.sign_in("13900000021", PASSWORD).await;
    let res = app
        .post(
            &format!("/api/v1/projects/{lifts}/progress"),
            &handler,
            &json!({"note": "已进场施工，联系人电话 0574-62345678", "percent": 10}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let page = app.public_json(&format!("/api/v1/public/projects/{lifts}")).await;
    let shown = page.to_string();
    assert!(!shown.contains("13812345678") && !shown.contains("62345678"), "{shown}");
    assert_eq!(page["comments"][0]["body"], "施工太吵，请联系我138******78");
    let listed = app
        .public_json(&format!("/api/v1/public/projects/{lifts}/comments"))
        .await;
    assert!(!listed.to_string().contains("13812345678"), "{listed}");
}

#[tokio::test]
async fn a_region_filter_that_does_not_exist_or_lies_beyond_reach_is_a_404_naming_it() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    for path in ["/api/v1/projects?region=999999", "/api/v1/projects?region=330206"] {
        let problem = assert_problem(app.get(path, &staff).await, 404, "not_found").await;
        assert_eq!(problem["field"], "region", "{path}: {problem}");
    }
    for path in [
        "/api/v1/public/projects?region=999999",
        "/api/v1/public/issues?region=999999",
    ] {
        let res = app.client.get(app.url(path)).send().await.expect("answers");
        let problem = assert_problem(res, 404, "not_found").await;
        assert_eq!(problem["field"], "region", "{path}: {problem}");
    }
    let res = app
        .client
        .get(app.url("/api/v1/public/issues?region=330281"))
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), 200, "a region that exists still lists");
}

#[tokio::test]
async fn a_name_in_the_bulletin_cannot_become_markup() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let res = app
        .patch(
            "/api/v1/categories/streetlight",
            &admin,
            &json!({"name": "<img src=x onerror=alert(1)>路灯"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    report(
        &app,
        &deputy,
        &json!({"description": "新建路南段的路灯坏了。", "category_code": "streetlight"}),
    )
    .await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let today = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    let md = app
        .get(
            &format!("/api/v1/bulletins?region=330281&from={today}&to={today}&format=md"),
            &staff,
        )
        .await
        .text()
        .await
        .expect("markdown");
    assert!(md.contains("\\<img src=x onerror=alert(1)\\>路灯"), "{md}");
    assert!(
        !md.replace("\\<", "").contains("<img"),
        "a raw tag reached the document: {md}"
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_with_an_expired_token_or_only_the_cookie_and_always_clears_the_cookie() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let sign_in = || async {
        let res = app
            .client
            .post(app.url(SIGN_IN))
            .json(&json!({"phone": YUYAO_STAFF, "password": PASSWORD, "refresh_token_in": "cookie"}))
            .send()
            .await
            .expect("answers");
        assert_eq!(res.status(), 200);
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("minsheng_refresh=").and_then(|c| c.split(';').next()))
            .expect("a refresh cookie")
            .to_owned();
        let body: Value = res.json().await.expect("json");
        (body["access_token"].as_str().expect("token").to_owned(), cookie)
    };
    let logout = |token: Option<String>, cookie: Option<String>| {
        let mut req = app.client.post(app.url("/api/v1/auth/logout"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(c) = cookie {
            req = req.header("cookie", format!("minsheng_refresh={c}"));
        }
        req.send()
    };
    let clears = |res: &reqwest::Response| {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.starts_with("minsheng_refresh=;") && c.contains("Max-Age=0"))
    };
    let refreshes = |cookie: String| {
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .header("cookie", format!("minsheng_refresh={cookie}"))
            .json(&json!({}))
            .send()
    };

    // A token that expired while the laptop slept, with the cookie: the session ends.
    let (token, cookie) = sign_in().await;
    let token = expired(&app, &token);
    assert_problem(app.get("/api/v1/me", &token).await, 401, "invalid_token").await;
    let res = logout(Some(token), Some(cookie.clone())).await.expect("answers");
    assert_eq!(res.status(), 204);
    assert!(clears(&res), "the cookie is cleared");
    assert_eq!(
        refreshes(cookie).await.expect("answers").status(),
        401,
        "the session ended"
    );

    // The cookie alone is enough.
    let (token, cookie) = sign_in().await;
    let res = logout(None, Some(cookie.clone())).await.expect("answers");
    assert_eq!(res.status(), 204);
    assert_eq!(refreshes(cookie).await.expect("answers").status(), 401);
    assert_problem(app.get("/api/v1/me", &token).await, 401, "invalid_token").await;

    // Nothing to sign out of: a 401 that still clears the cookie.
    let res = logout(Some("not-a-token".into()), Some("msr_unknown".into()))
        .await
        .expect("answers");
    assert!(clears(&res), "a refusal clears the cookie too");
    assert_problem(res, 401, "unauthenticated").await;
}

/// `token` as the service would have issued it two hours earlier: the same claims and key, expired since.
fn expired(app: &TestApp, token: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let mut parts = token.split('.');
    let (header, payload) = (parts.next().expect("header"), parts.next().expect("payload"));
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("claims");
    for (claim, shift) in [("iat", 7200), ("nbf", 7200), ("exp", 7200)] {
        claims[claim] = json!(claims[claim].as_i64().expect("a time") - shift);
    }
    let signed = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()));
    let secret = app.env.get("MINSHENG_JWT_SECRET").expect("the test's secret");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("a key");
    mac.update(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// Copies of `issue` made directly in the database: `n` of them, with long descriptions, numbered after it.
async fn copies(app: &TestApp, issue: &str, n: usize, category: &str, suffix: &str) {
    super::issues::sql(
        app,
        &format!(
            "DO $$ DECLARE cols text; picked text; BEGIN
               SELECT string_agg(quote_ident(column_name), ', '), string_agg('i.' || quote_ident(column_name), ', ')
                 INTO cols, picked FROM information_schema.columns
                WHERE table_name = 'issues' AND is_generated = 'NEVER'
                  AND column_name NOT IN ('id', 'number', 'description', 'category_code');
               EXECUTE format('INSERT INTO issues (id, number, description, category_code, %s)
                               SELECT gen_random_uuid(), i.number || %L || g, repeat(%L, 2000), {category}, %s
                                 FROM issues i, generate_series(1, {n}) g WHERE i.id = %L',
                              cols, '-{suffix}-', '长', picked, '{issue}');
             END $$"
        ),
    )
    .await;
}

#[tokio::test]
async fn the_bulletin_spreadsheet_is_read_from_the_database_a_page_at_a_time_as_it_is_sent() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let first = report(
        &app,
        &deputy,
        &json!({"description": "新建路南段的路灯坏了。", "category_code": "streetlight"}),
    )
    .await;
    let id = first["id"].as_str().expect("id");
    // 3,000 issues of about 6 KB each in the spreadsheet: far more than the connection holds unread.
    copies(&app, id, 2_999, "i.category_code", "copy").await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let today = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    let mut res = app
        .get(
            &format!("/api/v1/bulletins?region=330281&from={today}&to={today}&format=csv"),
            &staff,
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut text = Vec::new();
    text.extend_from_slice(&res.chunk().await.expect("a first piece").expect("bytes"));
    // An issue that sorts last (no category) is added while the download is under way: read page by page, the
    // spreadsheet still finds it; read whole before sending, it would not.
    copies(&app, id, 1, "NULL", "late").await;
    while let Some(piece) = res.chunk().await.expect("the rest") {
        text.extend_from_slice(&piece);
    }
    let text = String::from_utf8(text).expect("UTF-8");
    assert!(text.starts_with('\u{feff}'), "a byte-order mark for Excel and WPS");
    let rows = text.split("\r\n").filter(|l| !l.is_empty()).count();
    assert_eq!(rows, 1 + 3_001, "the header and every issue, the late one included");
    assert!(
        text.contains("-late-1,"),
        "the issue added during the download is in it"
    );
}
