//! Every class of bad input answers a 4xx problem document naming what is wrong, and writes nothing.

use minsheng_tests::{assert_problem, TestApp, DEMO_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn malformed_json_is_a_400_invalid_json() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let res = app
        .client
        .post(app.url("/api/v1/categories"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"code": "road", "name": "#)
        .send()
        .await
        .expect("answers");
    assert_problem(res, 400, "invalid_json").await;
    let res = app
        .client
        .post(app.url("/api/v1/categories"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .send()
        .await
        .expect("answers");
    assert_problem(res, 400, "invalid_json").await;
}

#[tokio::test]
async fn unknown_fields_wrong_types_and_missing_fields_name_the_field() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let cases = [
        (json!({"code": "road", "name": "道路", "colour": "red"}), "colour"),
        (json!({"code": 7, "name": "道路"}), "code"),
        (json!({"name": "道路"}), "code"),
    ];
    for (body, field) in cases {
        let res = app.post("/api/v1/categories", &token, &body).await;
        let problem = assert_problem(res, 400, "invalid_body").await;
        assert_eq!(problem["field"], field, "{problem}");
    }
    let res = app
        .post("/api/v1/stations", &token, &json!({"region_code": "33", "name": "站", "address": "路", "location": {"latitude": "north", "longitude": 121.0}}))
        .await;
    let problem = assert_problem(res, 400, "invalid_body").await;
    assert_eq!(problem["field"], "location.latitude");
}

#[tokio::test]
async fn a_body_over_the_configured_limit_is_a_413() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_BODY_LIMIT".into(), "2048".into());
    })
    .await;
    let token = app.admin_token().await;
    let big = json!({"code": "road", "name": "x".repeat(4096)});
    let res = app.post("/api/v1/categories", &token, &big).await;
    assert_problem(res, 413, "payload_too_large").await;
    // Streamed without a Content-Length, the limit holds too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(br#"{"code":"road","name":""#.to_vec()),
        Ok(vec![b'x'; 4096]),
        Ok(br#""}"#.to_vec()),
    ];
    let res = app
        .client
        .post(app.url("/api/v1/categories"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .expect("answers");
    assert_problem(res, 413, "payload_too_large").await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let res = app
        .client
        .post(app.url("/api/v1/categories"))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("code=road")
        .send()
        .await
        .expect("answers");
    let problem = assert_problem(res, 415, "unsupported_media_type").await;
    assert_eq!(problem["field"], "Content-Type");
}

#[tokio::test]
async fn unknown_routes_are_problem_documents_not_html() {
    let app = TestApp::spawn().await;
    for path in ["/nothing-here", "/api/v1/nothing", "/api/v2/regions"] {
        let res = app.client.get(app.url(path)).send().await.expect("answers");
        assert_problem(res, 404, "not_found").await;
    }
    // A path that exists, with a method it does not take: 405 naming the methods it does.
    let res = app
        .client
        .delete(app.url("/api/v1/regions"))
        .send()
        .await
        .expect("answers");
    assert_eq!(
        res.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("GET, POST")
    );
    assert_problem(res, 405, "method_not_allowed").await;
    let res = app
        .client
        .put(app.url("/api/v1/regions/330281"))
        .send()
        .await
        .expect("answers");
    assert_eq!(
        res.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("GET, PATCH")
    );
    assert_problem(res, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn bad_query_and_path_parameters_are_400s_naming_them() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let problem = assert_problem(app.get("/api/v1/regions?limit=abc", &token).await, 400, "invalid_query").await;
    assert_eq!(problem["field"], "limit");
    let problem = assert_problem(
        app.get("/api/v1/regions?limit=1000", &token).await,
        400,
        "invalid_query",
    )
    .await;
    assert_eq!(problem["field"], "limit");
    let problem = assert_problem(
        app.get("/api/v1/regions?cursor=%21%21", &token).await,
        400,
        "invalid_query",
    )
    .await;
    assert_eq!(problem["field"], "cursor");
    let problem = assert_problem(
        app.get("/api/v1/regions?colour=red", &token).await,
        400,
        "invalid_query",
    )
    .await;
    assert_eq!(problem["field"], "colour");
    assert_problem(
        app.get("/api/v1/stations/not-a-uuid", &token).await,
        400,
        "invalid_path",
    )
    .await;
}

#[tokio::test]
async fn missing_bad_and_forged_tokens_are_401s() {
    let app = TestApp::spawn().await;
    let res = app.call(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(
        res.headers().get("www-authenticate").and_then(|v| v.to_str().ok()),
        Some("Bearer")
    );
    assert_problem(res, 401, "unauthenticated").await;
    assert_problem(app.get("/api/v1/me", "not-a-jwt").await, 401, "invalid_token").await;
    // A token signed with another secret (another deployment) is refused.
    let other = TestApp::spawn().await;
    let foreign = other.admin_token().await;
    assert_problem(app.get("/api/v1/me", &foreign).await, 401, "invalid_token").await;
}

#[tokio::test]
async fn wrong_phone_or_password_answer_alike() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let wrong_password = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            None,
            Some(&json!({"phone": "13900000001", "password": "not-the-password-1"})),
        )
        .await;
    let a = assert_problem(wrong_password, 401, "invalid_credentials").await;
    let unknown_phone = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            None,
            Some(&json!({"phone": "13911112222", "password": DEMO_PASSWORD})),
        )
        .await;
    let b = assert_problem(unknown_phone, 401, "invalid_credentials").await;
    assert_eq!(a["detail"], b["detail"]);
}

#[tokio::test]
async fn broken_rules_are_422s_and_duplicates_409s_with_the_field() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let problem = assert_problem(
        app.post(
            "/api/v1/regions",
            &token,
            &json!({"code": "3a", "name": "浙江省", "level": "province"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["field"], "code");
    assert_eq!(problem["errors"][0]["code"], "invalid_region_code");
    let long = "长".repeat(65);
    let problem = assert_problem(
        app.post(
            "/api/v1/regions",
            &token,
            &json!({"code": "33", "name": long, "level": "province"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "too_long");

    let ok = app
        .post(
            "/api/v1/regions",
            &token,
            &json!({"code": "33", "name": "浙江省", "level": "province"}),
        )
        .await;
    assert_eq!(ok.status(), 201);
    let problem = assert_problem(
        app.post(
            "/api/v1/regions",
            &token,
            &json!({"code": "33", "name": "又一个", "level": "province"}),
        )
        .await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(problem["field"], "code");
    let problem = assert_problem(
        app.post(
            "/api/v1/regions",
            &token,
            &json!({"code": "3302", "name": "宁波市", "level": "province", "parent_code": "33"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "level_not_below_parent");
}

#[tokio::test]
async fn a_refused_command_leaves_nothing_half_written() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let token = app.admin_token().await;
    let fengshan = seed.station("凤山街道人大代表联络站").expect("seeded");
    // The second station does not exist: the account must not be created with only the first.
    let body = json!({
        "role": "deputy", "name": "半个代表", "phone": "13912340000", "password": "deputy-pass-2026",
        "region_code": "330281", "deputy_level": "county",
        "station_ids": [fengshan, uuid::Uuid::now_v7()]
    });
    let problem = assert_problem(app.post("/api/v1/users", &token, &body).await, 422, "validation_failed").await;
    assert_eq!(problem["field"], "station_ids[1]");
    let list: Value = app.get_json("/api/v1/users?role=deputy&limit=100", &token).await;
    assert!(list["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|u| u["phone"] != "13912340000"));

    // An agency naming one category that does not exist is not created at all.
    let body = json!({"region_code": "330281", "name": "余姚市新部门", "category_codes": ["road", "no_such_thing"]});
    let problem = assert_problem(
        app.post("/api/v1/agencies", &token, &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["field"], "category_codes[1]");
    let list: Value = app.get_json("/api/v1/agencies?region=330281&limit=100", &token).await;
    assert!(list["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|a| a["name"] != "余姚市新部门"));
}
