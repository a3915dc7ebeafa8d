//! Photos in S3-compatible object storage (issue #38), against a real S3-protocol server on loopback (s3s-fs, which
//! checks every request's signature): a photo uploaded through one instance is read through another, the objects
//! are where the prefix says, a store that is down is a 503 that leaves no photo half-made, and a deployment that
//! presigns answers with a redirect the reader follows to the store itself.

use super::issues::{citizen, jpeg_with_exif, picture, sql, upload};
use minsheng_tests::servers::PrivateS3;
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::{assert_problem, TestApp};
use serde_json::Value;

async fn photo_count(app: &TestApp) -> usize {
    sql(app, "SELECT id FROM photos").await
}

async fn bytes_of(app: &TestApp, path: &str, token: &str) -> Vec<u8> {
    let res = app.get(path, token).await;
    assert_eq!(res.status(), 200, "{path}");
    assert_eq!(
        res.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("image/jpeg")
    );
    res.bytes().await.expect("bytes").to_vec()
}

#[tokio::test]
async fn a_photo_uploaded_through_one_instance_is_read_through_another_and_a_store_that_is_down_is_a_503() {
    let mut s3 = PrivateS3::start();
    let settings = s3.env("county/photos");
    let fake = FakeWeChat::start().await;
    let a = TestApp::spawn_with_wechat(&fake, |env| env.extend(settings)).await;
    let b = a.another_instance();
    let seed = a.seed_demo().await;
    let resident = citizen(&a, &fake, &seed, "s3-resident").await;

    // Uploaded through A: the picture and its thumbnail are objects under the prefix, nothing on a local disk.
    let res = upload(&a, &resident, &jpeg_with_exif(), "road.jpg").await;
    assert_eq!(res.status(), 201);
    let photo: Value = res.json().await.expect("json");
    let id = photo["id"].as_str().expect("id");
    let key = id.replace('-', "");
    let objects = s3.objects("county/photos");
    assert!(
        objects.iter().any(|o| o.ends_with(&format!("{key}.jpg"))),
        "the picture is in the bucket under the prefix: {objects:?}"
    );
    assert!(
        objects.iter().any(|o| o.ends_with(&format!("{key}.thumb.jpg"))),
        "and its thumbnail: {objects:?}"
    );

    // Read through B, which never saw the upload: the same bytes, metadata stripped.
    let path = format!("/api/v1/photos/{id}");
    let through_a = bytes_of(&a, &path, &resident).await;
    let through_b = bytes_of(&b, &path, &resident).await;
    assert_eq!(through_a, through_b);
    assert!(!through_b.windows(10).any(|w| w == b"GPS-SECRET"));
    let thumb = bytes_of(&b, &format!("{path}/thumbnail"), &resident).await;
    assert!(thumb.starts_with(&[0xFF, 0xD8]));
    // Another citizen still sees nothing, whichever instance they ask.
    let stranger = citizen(&b, &fake, &seed, "s3-stranger").await;
    assert_problem(b.get(&path, &stranger).await, 404, "not_found").await;

    // The store goes down: an upload is a 503 and leaves no photo row; a read is a 503 too.
    let before = photo_count(&a).await;
    s3.stop();
    let other = picture(7);
    assert_problem(
        upload(&b, &resident, &other, "other.jpg").await,
        503,
        "service_unavailable",
    )
    .await;
    assert_eq!(photo_count(&a).await, before, "no photo without its bytes");
    assert_problem(a.get(&path, &resident).await, 503, "service_unavailable").await;

    // Back up: the same upload, retried, is kept, and the first photo reads again.
    s3.resume();
    let res = upload(&b, &resident, &other, "other.jpg").await;
    assert_eq!(res.status(), 201);
    assert_eq!(photo_count(&a).await, before + 1);
    assert_eq!(bytes_of(&a, &path, &resident).await, through_a);
}

#[tokio::test]
async fn a_deployment_that_presigns_redirects_readers_to_the_store_for_a_link_that_works_without_the_token() {
    let s3 = PrivateS3::start();
    let mut settings = s3.env("");
    settings.push(("MINSHENG_S3_PRESIGN_SECONDS".to_owned(), "60".to_owned()));
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |env| env.extend(settings)).await;
    let seed = app.seed_demo().await;
    let resident = citizen(&app, &fake, &seed, "presign-resident").await;
    let res = upload(&app, &resident, &jpeg_with_exif(), "road.jpg").await;
    assert_eq!(res.status(), 201);
    let photo: Value = res.json().await.expect("json");
    let id = photo["id"].as_str().expect("id");

    // The one who may see it is sent to the store; anyone else still gets a 404 and no link.
    let res = app.get(&format!("/api/v1/photos/{id}"), &resident).await;
    assert_eq!(res.status(), 307);
    assert_eq!(
        res.headers().get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let link = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a location")
        .to_owned();
    assert!(link.contains("X-Amz-Signature="), "{link}");
    let stranger = citizen(&app, &fake, &seed, "presign-stranger").await;
    assert_problem(
        app.get(&format!("/api/v1/photos/{id}"), &stranger).await,
        404,
        "not_found",
    )
    .await;

    // The link alone fetches the picture from the store; a tampered one is refused by the store.
    let picture = reqwest::get(&link).await.expect("the store answers");
    assert_eq!(picture.status(), 200);
    let bytes = picture.bytes().await.expect("bytes");
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    assert_eq!(
        i32::try_from(bytes.len()).ok(),
        photo["size_bytes"].as_i64().and_then(|n| i32::try_from(n).ok())
    );
    let key = id.replace('-', "");
    let tampered = link.replace(&format!("{key}.jpg"), &format!("{key}.thumb.jpg"));
    let refused = reqwest::get(&tampered).await.expect("the store answers");
    assert!(refused.status().is_client_error(), "{}", refused.status());
}
