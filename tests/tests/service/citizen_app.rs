//! The citizens' phone pages in a real browser (issue #34): Playwright (from npm) drives Debian's Chromium as a phone
//! against the service on real PostgreSQL and Redis, with the WeChat and SMS stand-ins and the demo county at work
//! loaded. The flows and their assertions are in `clients/citizen/e2e/`; scripts/test builds the app and checks its
//! mini-program build first. Screenshots land in `clients/citizen/screenshots/`.

use super::issues::{fengshan_scene, jpeg_with_exif, PASSWORD, YUYAO_STAFF};
use minsheng_tests::wechat::FakeWeChat;
use std::path::PathBuf;

fn citizen_app() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../clients/citizen")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizens_report_join_follow_and_rate_issues_and_supervise_a_project_on_the_phone_pages() {
    let dist = citizen_app().join("dist/build/h5");
    assert!(
        dist.join("index.html").is_file(),
        "the phone pages are not built: scripts/test builds them (npm run build in clients/citizen)"
    );
    let fake = FakeWeChat::start().await;
    let sms = minsheng_tests::sms::FakeSms::start().await;
    let texts = sms.env();
    let (app, seed) = minsheng_tests::browser::county_at_work(&fake, |env| {
        env.extend(texts);
        env.insert("MINSHENG_CITIZEN_DIR".into(), dist.to_string_lossy().into_owned());
    })
    .await;

    // A project's 码上监督 code, as staff print it for its site board.
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let ranking = app.public_json("/api/v1/public/projects").await;
    let project = ranking["items"][0]["id"]
        .as_str()
        .or_else(|| ranking[0]["id"].as_str())
        .expect("an elected project in the county at work")
        .to_owned();
    let res = app.get(&format!("/api/v1/projects/{project}/qrcode"), &staff).await;
    assert_eq!(res.status(), 200);
    let project_scene = res.headers()["x-minsheng-scene"].to_str().expect("ascii").to_owned();

    let photo = std::env::temp_dir().join(format!("minsheng-photo-{}.jpg", uuid::Uuid::new_v4().simple()));
    std::fs::write(&photo, jpeg_with_exif()).expect("written");
    minsheng_tests::browser::playwright(
        &citizen_app(),
        &app.address,
        &[
            ("SMS_INBOX", sms.url.clone()),
            ("STATION_SCENE", fengshan_scene(&seed)),
            ("PROJECT_SCENE", project_scene),
            ("PHOTO", photo.to_string_lossy().into_owned()),
            ("PASSWORD", seed.password.to_owned()),
        ],
    )
    .await;
    let _ = std::fs::remove_file(&photo);
}
