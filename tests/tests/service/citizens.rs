//! What the citizens' app needs of the service (issue #34), proven from outside: points in the system the phone gave
//! them, and WeChat's answers the mini-program meets.

use super::issues::{report, PASSWORD, WANG_DEPUTY};
use minsheng_tests::TestApp;
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
