use minsheng_tests::TestApp;
use serde_json::Value;

const CHECKED_IN: &str = include_str!("../../../openapi/openapi.json");

#[tokio::test]
async fn the_served_document_is_the_checked_in_one() {
    let app = TestApp::spawn().await;
    let served: Value = app
        .client
        .get(app.url("/api-docs/openapi.json"))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("json");
    let checked_in: Value = serde_json::from_str(CHECKED_IN).expect("openapi/openapi.json is JSON");
    assert_eq!(
        served, checked_in,
        "run scripts/openapi to refresh openapi/openapi.json"
    );
    assert!(served["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
    for path in [
        "/api/v1/auth/password",
        "/api/v1/me",
        "/api/v1/regions",
        "/api/v1/regions/{code}",
        "/api/v1/categories",
        "/api/v1/stations/{id}",
        "/api/v1/agencies",
        "/api/v1/users/{id}",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(served["paths"].get(path).is_some(), "{path} is documented");
    }
}

#[tokio::test]
async fn the_interactive_docs_load_nothing_from_outside() {
    let app = TestApp::spawn().await;
    let redirect = app.client.get(app.url("/docs")).send().await.expect("answers");
    assert!(redirect.status().is_redirection());
    let page = app.client.get(app.url("/docs/")).send().await.expect("answers");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "the Swagger UI page");
    let init = app
        .client
        .get(app.url("/docs/swagger-initializer.js"))
        .send()
        .await
        .expect("answers")
        .text()
        .await
        .expect("js");
    assert!(init.contains("/api-docs/openapi.json"));
    for text in [&html, &init] {
        for outside in ["http://", "https://", "//cdn", "unpkg", "jsdelivr"] {
            assert!(
                !text.contains(outside),
                "docs must not load from outside ({outside}):\n{text}"
            );
        }
    }
    assert!(
        init.contains(r#""validatorUrl": "none""#) || init.contains(r#""validatorUrl":"none""#),
        "{init}"
    );
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
    ] {
        let res = app
            .client
            .get(app.url(&format!("/docs/{asset}")))
            .send()
            .await
            .expect("answers");
        assert_eq!(res.status(), 200, "{asset} is served locally");
    }
}
