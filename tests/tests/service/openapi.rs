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

/// utoipa keeps one schema per name and silently drops the others: two types named alike (an issue's `Report` and a
/// project's) would give clients the wrong body. Every type the document is built from must have a name of its own.
#[test]
fn no_two_schema_types_share_a_name() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut clashes = Vec::new();
    let mut dirs = vec![root.join("api/src"), root.join("domain/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("reads the sources") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("reads a source");
            let mut schema = false;
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[derive(") && line.contains("ToSchema") {
                    schema = true;
                } else if schema && (line.starts_with("pub struct ") || line.starts_with("pub enum ")) {
                    let name: String = line
                        .split_whitespace()
                        .nth(2)
                        .unwrap_or_default()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let here = path.display().to_string();
                    if let Some(first) = seen.insert(name.clone(), here.clone()) {
                        clashes.push(format!("{name}: {first} and {here}"));
                    }
                    schema = false;
                } else if !line.starts_with("#[") && !line.starts_with("///") && !line.is_empty() {
                    schema = false;
                }
            }
        }
    }
    assert!(seen.len() > 100, "the scan found the schema types ({})", seen.len());
    assert_eq!(clashes, Vec::<String>::new());
}
