//! The loop over HTTP, as the real roles: citizens through the fake WeChat, deputies, staff and handlers with
//! passwords. Every path of the state machine is walked on the seeded 余姚 county.

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use minsheng_tests::wechat::{FakeWeChat, REVIEW_WORD, RISKY_WORD};
use minsheng_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

pub(crate) const PASSWORD: &str = "minsheng-demo-2026";
pub(crate) const YUYAO_STAFF: &str = "13900000001";
pub(crate) const BEILUN_STAFF: &str = "13900000003";
pub(crate) const WANG_DEPUTY: &str = "13900000011"; // 凤山 station
pub(crate) const LI_DEPUTY: &str = "13900000012"; // 阳明 station
pub(crate) const HOUSING_HANDLER: &str = "13900000021"; // 余姚住建局
pub(crate) const WATER_HANDLER: &str = "13900000022"; // 余姚水利局
pub(crate) const BEILUN_HANDLER: &str = "13900000024";
pub(crate) const FENGSHAN_HANDLER: &str = "13900000025"; // 凤山街道办事处

/// The scene of the 凤山 station's QR code.
pub(crate) fn fengshan_scene(seed: &minsheng_api::seed::SeedReport) -> String {
    seed.scenes
        .iter()
        .find(|s| s.name == "凤山街道人大代表联络站")
        .expect("seeded scene")
        .code
        .clone()
}

/// A citizen who scanned the 凤山 station's code.
pub(crate) async fn citizen(
    app: &TestApp,
    fake: &FakeWeChat,
    seed: &minsheng_api::seed::SeedReport,
    who: &str,
) -> String {
    app.wechat_sign_in_at(fake, who, &fengshan_scene(seed)).await
}

pub(crate) async fn report(app: &TestApp, token: &str, body: &Value) -> Value {
    let res = app.post("/api/v1/issues", token, body).await;
    let status = res.status();
    let text = res.text().await.expect("body");
    assert_eq!(status, 201, "report: {text}");
    let answered: Value = serde_json::from_str(&text).expect("json");
    // The answer comes from the report's last write, not a read of its own: it must be what a read shows.
    let id = answered["id"].as_str().expect("id");
    let read = app.get_json(&format!("/api/v1/issues/{id}"), token).await;
    assert_eq!(
        answered, read,
        "a report answers the issue exactly as a read right after shows it"
    );
    answered
}

/// A command that must succeed; answers the issue as the caller now sees it — exactly what a read right after shows
/// (the answer comes from the command's own last write, never a read of its own).
pub(crate) async fn command(app: &TestApp, token: &str, id: &str, what: &str, body: &Value) -> Value {
    let res = app.post(&format!("/api/v1/issues/{id}/{what}"), token, body).await;
    let status = res.status();
    let text = res.text().await.expect("body");
    assert!(status.is_success(), "{what} answered {status}: {text}");
    let answer: Value = serde_json::from_str(&text).expect("json");
    if answer.get("allowed_actions").is_some() {
        let read = app.get_json(&format!("/api/v1/issues/{id}"), token).await;
        assert_eq!(answer, read, "{what} answers the issue as a read right after shows it");
    }
    answer
}

pub(crate) fn actions(issue: &Value) -> Vec<String> {
    issue["allowed_actions"]
        .as_array()
        .expect("allowed_actions")
        .iter()
        .map(|a| a.as_str().unwrap_or_default().to_owned())
        .collect()
}

pub(crate) fn open_stage(issue: &Value, stage: &str) -> Option<String> {
    issue["deadlines"]
        .as_array()?
        .iter()
        .find(|d| d["stage"] == stage)
        .map(|d| d["due_at"].as_str().unwrap_or_default().to_owned())
}

pub(crate) async fn sql(app: &TestApp, statement: &str) -> usize {
    // The database the service was given, which is not always the test's clone (the fault tests use their own).
    let url = app.env.get("DATABASE_URL").expect("a database URL");
    let mut conn = AsyncPgConnection::establish(url).await.expect("connects");
    diesel::sql_query(statement).execute(&mut conn).await.expect(statement)
}

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// The rows of `query`, whose one column is the text `line`, read from the service's database.
pub(crate) async fn lines(app: &TestApp, query: &str) -> Vec<String> {
    let url = app.env.get("DATABASE_URL").expect("a database URL");
    let mut conn = AsyncPgConnection::establish(url).await.expect("connects");
    let rows: Vec<Line> = diesel::sql_query(query).load(&mut conn).await.expect(query);
    rows.into_iter().map(|r| r.line).collect()
}

/// A small picture of its own colour: each shade uploads different bytes, so each is a photo of its own.
pub(crate) fn picture(shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(48, 36, image::Rgb([shade.wrapping_mul(20), 90, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).expect("encodes");
    out.into_inner()
}

/// A small JPEG carrying an EXIF segment with a GPS-like marker.
pub(crate) fn jpeg_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([10, 120, 200]));
    let mut plain = std::io::Cursor::new(Vec::new());
    img.write_to(&mut plain, image::ImageFormat::Jpeg).expect("encodes");
    let plain = plain.into_inner();
    let payload = b"Exif\0\0GPS-SECRET-30.04N-121.15E";
    let len = u16::try_from(payload.len() + 2).expect("fits");
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

pub(crate) async fn upload(app: &TestApp, token: &str, bytes: &[u8], name: &str) -> reqwest::Response {
    let boundary = "minsheng-test-boundary-7f3a";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.client
        .post(app.url("/api/v1/photos"))
        .bearer_auth(token)
        .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("answers")
}

#[tokio::test]
async fn a_citizens_report_is_routed_signed_extended_replied_and_closed_on_satisfaction() {
    // Given the demo county, WeChat, and a citizen who scanned the 凤山 station's code.
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let citizen = citizen(&app, &fake, &seed, "resident-a").await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;

    // When they upload a photo (the camera's EXIF goes) and report with an Idempotency-Key.
    let res = upload(&app, &citizen, &jpeg_with_exif(), "IMG_0001.HEIC.jpg").await;
    assert_eq!(res.status(), 201);
    let photo: Value = res.json().await.expect("json");
    let again: Value = upload(&app, &citizen, &jpeg_with_exif(), "retry.jpg")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["id"], photo["id"], "the same bytes again are the same photo");
    let body = json!({
        "title": "新建路路灯不亮",
        "description": "新建路南段的路灯坏了一个多星期，晚上很黑，老人走路不安全。",
        "category_code": "streetlight",
        "location": {"latitude": 30.0437, "longitude": 121.1546, "address": "新建路南段"},
        "photo_ids": [photo["id"]],
    });
    let post_report = |key: &'static str, body: Value| {
        app.client
            .post(app.url("/api/v1/issues"))
            .bearer_auth(&citizen)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = post_report("report-1", body.clone()).await.expect("answers");
    assert_eq!(first.status(), 201);
    let issue: Value = first.json().await.expect("json");
    let retry = post_report("report-1", body.clone()).await.expect("answers");
    assert_eq!(
        retry
            .headers()
            .get("idempotent-replayed")
            .map(|v| v.to_str().unwrap_or("")),
        Some("true")
    );
    let replayed: Value = retry.json().await.expect("json");
    assert_eq!(replayed["id"], issue["id"], "a retried report creates nothing new");
    let mut changed = body.clone();
    changed["description"] = json!("另一个问题：这里的井盖松动了，很危险。");
    assert_problem(
        post_report("report-1", changed).await.expect("answers"),
        422,
        "idempotency_key_reused",
    )
    .await;
    let mine = app.get_json("/api/v1/issues?reporter=me", &citizen).await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1));

    // Then the issue is numbered for 余姚, at the scanned station, with its photo, and WeChat checked the words.
    let id = issue["id"].as_str().expect("id").to_owned();
    let number = issue["number"].as_str().expect("number");
    assert!(number.starts_with("YY-") && number.ends_with("-000001"), "{number}");
    assert_eq!(issue["status"], "submitted");
    assert_eq!(issue["station"]["name"], "凤山街道人大代表联络站");
    assert_eq!(issue["photos"][0]["id"], photo["id"]);
    let checks = fake.check_calls();
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0]["version"], 2);
    assert_eq!(checks[0]["openid"], FakeWeChat::openid("resident-a"));
    let stored = app
        .get(&format!("/api/v1/photos/{}", photo["id"].as_str().expect("id")), &staff)
        .await;
    assert_eq!(stored.status(), 200);
    let stored = stored.bytes().await.expect("bytes");
    assert!(!stored.windows(10).any(|w| w == b"GPS-SECRET"), "metadata is stripped");

    // The station's deputy co-signs; another station's deputy and another county's staff see nothing.
    let after = command(&app, &deputy, &id, "cosign", &json!({"note": "附议，群众反映多次"})).await;
    assert_eq!(after["cosign_count"], 1);
    assert!(!actions(&after).contains(&"cosign".to_owned()));
    let li = app.sign_in(LI_DEPUTY, PASSWORD).await;
    assert_problem(app.get(&format!("/api/v1/issues/{id}"), &li).await, 404, "not_found").await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    assert_problem(
        app.get(&format!("/api/v1/issues/{id}"), &beilun).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/accept"), &beilun, &json!({}))
            .await,
        404,
        "not_found",
    )
    .await;
    // The citizen cannot triage their own issue: they see it, so it is a 403, not a 404.
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/accept"), &citizen, &json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;

    // Staff accept it at the county level and take the routing rule's suggestion.
    let inbox = app.get_json("/api/v1/inbox", &staff).await;
    assert_eq!(inbox["sections"][0]["reason"], "to_triage");
    assert_eq!(inbox["sections"][0]["items"][0]["id"], id.as_str());
    let accepted = command(&app, &staff, &id, "accept", &json!({"level": "county"})).await;
    assert_eq!(accepted["status"], "accepted");
    let housing_id = seed.agency("余姚市住房和城乡建设局").expect("seeded").to_string();
    assert_eq!(accepted["routing_suggestion"]["lead_agency_id"], housing_id.as_str());
    let routed = command(&app, &staff, &id, "route", &json!({"note": "请尽快修复"})).await;
    assert_eq!(routed["status"], "routed");
    assert_eq!(routed["lead_agency"]["name"], "余姚市住房和城乡建设局");
    assert!(open_stage(&routed, "sign").is_some(), "a sign deadline: {routed}");

    // Another agency's handler sees nothing; the lead agency's handler signs and the reply clock starts.
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/sign"), &water, &json!({})).await,
        404,
        "not_found",
    )
    .await;
    let beilun_handler = app.sign_in(BEILUN_HANDLER, PASSWORD).await;
    assert_problem(
        app.get(&format!("/api/v1/issues/{id}"), &beilun_handler).await,
        404,
        "not_found",
    )
    .await;
    let handler_view = app.get_json(&format!("/api/v1/issues/{id}"), &housing).await;
    assert_eq!(
        handler_view["reporter"]["name"], "微信用户",
        "not anonymous: the handler sees who reported"
    );
    let signed = command(&app, &housing, &id, "sign", &json!({})).await;
    assert_eq!(signed["status"], "signed");
    let reply_due = open_stage(&signed, "reply").expect("a reply deadline");
    assert!(open_stage(&signed, "sign").is_none(), "the sign deadline was met");

    // The handler asks for three more working days; staff approve and the reply deadline moves.
    let asked = command(
        &app,
        &housing,
        &id,
        "extensions",
        &json!({"days": 3, "reason": "需要更换灯杆，等待材料"}),
    )
    .await;
    let extension = asked["pending_extension"]["id"].as_str().expect("pending").to_owned();
    assert_problem(
        app.post(
            &format!("/api/v1/issues/{id}/extensions"),
            &housing,
            &json!({"days": 2, "reason": "再延"}),
        )
        .await,
        409,
        "wrong_state",
    )
    .await;
    let decided = command(
        &app,
        &staff,
        &id,
        &format!("extensions/{extension}/decision"),
        &json!({"approve": true, "note": "同意"}),
    )
    .await;
    let moved = open_stage(&decided, "reply").expect("still a reply deadline");
    assert!(moved > reply_due, "{moved} is after {reply_due}");
    assert!(decided["pending_extension"].is_null());

    // Progress with a photo of the work (another's photo is refused), then a category-A reply; the citizen's inbox
    // asks for a rating and they are satisfied.
    let work: Value = upload(&app, &housing, &jpeg_with_exif(), "work.jpg")
        .await
        .json()
        .await
        .expect("json");
    let theirs: Value = upload(&app, &citizen, &jpeg_with_exif(), "mine.jpg")
        .await
        .json()
        .await
        .expect("json");
    let p = assert_problem(
        app.post(
            &format!("/api/v1/issues/{id}/progress"),
            &housing,
            &json!({"note": "已派员现场查看", "photo_ids": [theirs["id"]]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["field"], "photo_ids[0]", "{p}");
    let progressed = command(
        &app,
        &housing,
        &id,
        "progress",
        &json!({"note": "已派员现场查看，灯杆线路老化", "photo_ids": [work["id"]]}),
    )
    .await;
    assert!(
        progressed["photos"]
            .as_array()
            .expect("photos")
            .iter()
            .any(|p| p["id"] == work["id"]),
        "{progressed}"
    );
    let replied = command(
        &app,
        &housing,
        &id,
        "reply",
        &json!({"category": "A", "reply": "已更换灯杆和线路，路灯恢复照明。"}),
    )
    .await;
    assert_eq!(replied["status"], "replied");
    assert!(open_stage(&replied, "rate").is_some());
    let inbox = app.get_json("/api/v1/inbox", &citizen).await;
    assert_eq!(inbox["sections"][0]["reason"], "to_rate");
    assert_eq!(inbox["sections"][0]["items"][0]["id"], id.as_str());
    let closed = command(
        &app,
        &citizen,
        &id,
        "ratings",
        &json!({"rating": "satisfied", "comment": "修得很快，谢谢"}),
    )
    .await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["rating"], "satisfied");
    assert!(
        closed["deadlines"].as_array().is_some_and(Vec::is_empty),
        "nothing is due any more"
    );

    // The timeline holds every step, chained; the export holds the report.
    let timeline = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &deputy).await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        [
            "report",
            "cosign",
            "accept",
            "route",
            "sign",
            "request-extension",
            "decide-extension",
            "progress",
            "reply",
            "rate"
        ]
    );
    let verified = app
        .get_json(&format!("/api/v1/issues/{id}/timeline/verify"), &citizen)
        .await;
    assert_eq!(verified["intact"], true);
    assert_eq!(verified["events"], 10);
    let export = app.get_json("/api/v1/me/export", &citizen).await;
    assert_eq!(export["issues"][0]["number"], number);
    assert_eq!(export["photos"][0]["id"], photo["id"]);
    assert_eq!(export["ratings"][0]["rating"], "satisfied");

    // When someone edits a reply in the database, verification names the event.
    sql(
        &app,
        &format!("UPDATE issue_events SET note = '已处理' WHERE issue_id = '{id}' AND seq = 9"),
    )
    .await;
    let verified = app
        .get_json(&format!("/api/v1/issues/{id}/timeline/verify"), &deputy)
        .await;
    assert_eq!(verified["intact"], false);
    assert_eq!(verified["first_broken_seq"], 9);

    // And when the citizen erases their account, the issue stays, anonymous.
    let res = app.call(Method::DELETE, "/api/v1/me", Some(&citizen), None).await;
    assert_eq!(res.status(), 204);
    let after = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    assert_eq!(after["anonymous"], true);
    assert_eq!(after["reporter"]["name"], "已注销的市民");
    assert_eq!(after["status"], "closed");
}

#[tokio::test]
async fn a_deputys_report_is_sent_back_reopened_when_dissatisfied_and_converted() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let water_id = seed.agency("余姚市水利局").expect("seeded").to_string();
    let housing_id = seed.agency("余姚市住房和城乡建设局").expect("seeded").to_string();
    let fengshan_office = seed.agency("凤山街道办事处").expect("seeded").to_string();
    let beilun_agency = seed.agency("北仑区住房和城乡建设局").expect("seeded").to_string();

    // A deputy reports through their own station (马上传).
    let issue = report(
        &app,
        &deputy,
        &json!({"description": "城东社区菜场门口路面塌陷，雨天积水严重。", "category_code": "road_damage"}),
    )
    .await;
    let id = issue["id"].as_str().expect("id").to_owned();
    assert_eq!(issue["station"]["name"], "凤山街道人大代表联络站");
    command(&app, &staff, &id, "accept", &json!({})).await;

    // Routed to the wrong agency, which sends it back; another county's agency is refused.
    assert_problem(
        app.post(
            &format!("/api/v1/issues/{id}/route"),
            &staff,
            &json!({"lead_agency_id": beilun_agency}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    command(&app, &staff, &id, "route", &json!({"lead_agency_id": water_id})).await;
    let back = command(
        &app,
        &water,
        &id,
        "send-back",
        &json!({"reason": "路面塌陷不属于水利局职责"}),
    )
    .await;
    assert_eq!(back["status"], "accepted");
    assert!(back["lead_agency"].is_null());
    // The water bureau keeps reading what it once held, but may do nothing more.
    let shown = app.get_json(&format!("/api/v1/issues/{id}"), &water).await;
    assert_eq!(actions(&shown), ["comment"]);

    // Routed again, with the township office assisting, as a complex issue.
    let routed = command(
        &app,
        &staff,
        &id,
        "route",
        &json!({"lead_agency_id": housing_id, "co_agency_ids": [fengshan_office], "complex": true}),
    )
    .await;
    assert_eq!(routed["co_agencies"][0]["name"], "凤山街道办事处");
    let fengshan = app.sign_in(FENGSHAN_HANDLER, PASSWORD).await;
    // The co-agency posts its part once the lead has signed, but never signs or replies itself.
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/sign"), &fengshan, &json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    command(&app, &housing, &id, "sign", &json!({})).await;
    let part = command(
        &app,
        &fengshan,
        &id,
        "progress",
        &json!({"note": "街道已设置围挡，提醒过往行人"}),
    )
    .await;
    assert_eq!(part["status"], "in_progress");
    assert!(
        !actions(&part).contains(&"reply".to_owned()),
        "the lead replies for all"
    );
    command(
        &app,
        &housing,
        &id,
        "reply",
        &json!({"category": "B", "reply": "已列入年度道路维修计划。"}),
    )
    .await;

    // Dissatisfied: the issue reopens for a second round; accepting it now is the wrong state.
    let reopened = command(
        &app,
        &deputy,
        &id,
        "ratings",
        &json!({"rating": "dissatisfied", "comment": "雨季前必须修好"}),
    )
    .await;
    assert_eq!(reopened["status"], "reopened");
    assert_eq!(reopened["round"], 2);
    let problem = assert_problem(
        app.post(&format!("/api/v1/issues/{id}/accept"), &staff, &json!({}))
            .await,
        409,
        "wrong_state",
    )
    .await;
    assert_eq!(problem["state"], "reopened");
    assert_eq!(
        problem["allowed_actions"],
        json!(["route", "comment", "key-supervision", "withhold"])
    );
    // The housing bureau is no longer the lead until it is routed there again.
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/sign"), &housing, &json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;

    // The deputy converts it into a formal suggestion: a three-month deadline starts.
    let converted = command(&app, &deputy, &id, "convert", &json!({"note": "转为闭会期间代表建议"})).await;
    assert!(converted["converted_at"].is_string());
    assert!(open_stage(&converted, "suggestion").is_some());
    assert_problem(
        app.post(&format!("/api/v1/issues/{id}/convert"), &deputy, &json!({}))
            .await,
        409,
        "wrong_state",
    )
    .await;

    // Second round: route, sign (a re-reply deadline), reply, and this time basically satisfied.
    command(&app, &staff, &id, "route", &json!({"lead_agency_id": housing_id})).await;
    let signed = command(&app, &housing, &id, "sign", &json!({})).await;
    assert!(open_stage(&signed, "rereply").is_some(), "{signed}");
    let replied = command(
        &app,
        &housing,
        &id,
        "reply",
        &json!({"category": "A", "reply": "路面已修复。"}),
    )
    .await;
    assert!(
        open_stage(&replied, "suggestion").is_none(),
        "the reply answered the suggestion too"
    );
    assert!(
        replied["rating"].is_null(),
        "the new reply is not yet rated: the first round's dissatisfied is history, not its rating"
    );
    let closed = command(&app, &deputy, &id, "ratings", &json!({"rating": "basically_satisfied"})).await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["rating"], "basically_satisfied");
    let verified = app
        .get_json(&format!("/api/v1/issues/{id}/timeline/verify"), &staff)
        .await;
    assert_eq!(verified["intact"], true);
}

#[tokio::test]
async fn duplicates_are_found_nearby_and_merged_and_a_declined_issue_ends() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let one = citizen(&app, &fake, &seed, "resident-b").await;
    let two = citizen(&app, &fake, &seed, "resident-c").await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let place = json!({"latitude": 30.0437, "longitude": 121.1546});
    let first = report(
        &app,
        &one,
        &json!({"description": "小区门口垃圾桶满了没人清理。", "category_code": "garbage", "location": place}),
    )
    .await;
    let second = report(&app, &two, &json!({"description": "垃圾三天没清运，味道很大。", "category_code": "garbage", "location": {"latitude": 30.0439, "longitude": 121.1547}})).await;
    let far = report(&app, &two, &json!({"description": "城西另一处垃圾点也满了。", "category_code": "garbage", "location": {"latitude": 30.09, "longitude": 121.2}})).await;
    let (first_id, second_id) = (first["id"].as_str().expect("id"), second["id"].as_str().expect("id"));

    let near = app
        .get_json(
            "/api/v1/issues/nearby?latitude=30.0438&longitude=121.1546&category=garbage&radius=100",
            &staff,
        )
        .await;
    let ids: Vec<&str> = near
        .as_array()
        .expect("list")
        .iter()
        .map(|n| n["issue"]["id"].as_str().unwrap_or(""))
        .collect();
    assert!(ids.contains(&first_id) && ids.contains(&second_id) && !ids.contains(&far["id"].as_str().unwrap_or("")));
    assert!(near[0]["distance_m"].as_u64().is_some_and(|d| d <= 100));
    // A nearby issue's due moment and colour are the ones its own page shows (both read its open deadlines).
    for n in near.as_array().expect("list") {
        let id = n["issue"]["id"].as_str().expect("id");
        let view = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
        assert_eq!(n["issue"]["due_at"], view["due_at"], "due_at of {id}");
        assert_eq!(n["issue"]["warning"], view["warning"], "warning of {id}");
    }
    // Handlers are not shown nearby issues (citizens are: to join one instead of reporting it again).
    let handler = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    assert_problem(
        app.get(
            "/api/v1/issues/nearby?latitude=30&longitude=121&category=garbage",
            &handler,
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Not into itself, nor into an issue out of reach (or, below, one declined): each refusal names `into` and why.
    let beilun_deputy = app.sign_in("13900000014", PASSWORD).await;
    let elsewhere = report(
        &app,
        &beilun_deputy,
        &json!({"description": "北仑的垃圾桶满了。", "category_code": "garbage"}),
    )
    .await;
    let unknown = elsewhere["id"].as_str().expect("id");
    for (into, why) in [(second_id, "merge_into_itself"), (unknown, "unknown_issue")] {
        let refused = assert_problem(
            app.post(
                &format!("/api/v1/issues/{second_id}/merge"),
                &staff,
                &json!({"into": into}),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(
            (
                refused["errors"][0]["field"].as_str(),
                refused["errors"][0]["code"].as_str()
            ),
            (Some("into"), Some(why))
        );
    }
    let merged = command(&app, &staff, second_id, "merge", &json!({"into": first_id})).await;
    assert_eq!(merged["status"], "merged");
    assert_eq!(merged["merged_into"], first_id);
    assert_problem(
        app.post(&format!("/api/v1/issues/{second_id}/accept"), &staff, &json!({}))
            .await,
        409,
        "wrong_state",
    )
    .await;

    let far_id = far["id"].as_str().expect("id");
    assert_problem(
        app.post(
            &format!("/api/v1/issues/{far_id}/decline"),
            &staff,
            &json!({"reason": " "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let declined = command(
        &app,
        &staff,
        far_id,
        "decline",
        &json!({"reason": "已由城西街道另行处理"}),
    )
    .await;
    assert_eq!(declined["status"], "declined");
    assert_eq!(actions(&declined), ["comment"]);
    let refused = assert_problem(
        app.post(
            &format!("/api/v1/issues/{first_id}/merge"),
            &staff,
            &json!({"into": far_id}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused["errors"][0]["code"], "merge_into_closed", "{refused}");
    let timeline = app.get_json(&format!("/api/v1/issues/{far_id}/timeline"), &two).await;
    assert_eq!(timeline[1]["note"], "已由城西街道另行处理");

    // Lists filter by status and text within scope; a citizen lists only their own.
    let merged_list = app.get_json("/api/v1/issues?status=merged,declined", &staff).await;
    assert_eq!(merged_list["items"].as_array().map(Vec::len), Some(2));
    let found = app.get_json("/api/v1/issues?q=%E5%91%B3%E9%81%93", &staff).await;
    assert_eq!(found["items"][0]["id"], second_id);
    let mine = app.get_json("/api/v1/issues", &one).await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1));
    let page = app.get_json("/api/v1/issues?limit=2", &staff).await;
    let next = page["next_cursor"].as_str().expect("a second page");
    let rest = app
        .get_json(&format!("/api/v1/issues?limit=2&cursor={next}"), &staff)
        .await;
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(1));
    assert_problem(
        app.get("/api/v1/issues?status=lost", &staff).await,
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn the_content_check_refuses_risky_words_and_an_outage_marks_the_report_for_review() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let resident = citizen(&app, &fake, &seed, "resident-d").await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;

    let res = app
        .post(
            "/api/v1/issues",
            &resident,
            &json!({"description": format!("这里有{RISKY_WORD}的内容。")}),
        )
        .await;
    let problem = assert_problem(res, 422, "content_risky").await;
    assert_eq!(problem["field"], "description");
    let mine = app.get_json("/api/v1/issues?reporter=me", &resident).await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(0), "nothing was stored");

    let flagged = report(
        &app,
        &resident,
        &json!({"description": format!("路口{REVIEW_WORD}的问题。")}),
    )
    .await;
    fake.set_checks_down(true);
    let unchecked = report(
        &app,
        &resident,
        &json!({"description": "WeChat is down but this report must go through."}),
    )
    .await;
    for issue in [&flagged, &unchecked] {
        let shown = app
            .get_json(&format!("/api/v1/issues/{}", issue["id"].as_str().expect("id")), &staff)
            .await;
        assert_eq!(shown["needs_review"], true);
    }
    assert!(unchecked.get("needs_review").is_none(), "the citizen is not told");
}

#[tokio::test]
async fn anonymous_reporters_are_hidden_from_handlers_and_internal_comments_from_citizens() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let resident = citizen(&app, &fake, &seed, "resident-e").await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let issue = report(
        &app,
        &resident,
        &json!({"description": "反映物业问题，请不要透露我的身份。", "category_code": "streetlight", "anonymous": true}),
    )
    .await;
    let id = issue["id"].as_str().expect("id");
    command(&app, &staff, id, "accept", &json!({})).await;
    command(&app, &staff, id, "route", &json!({})).await;

    let shown = app.get_json(&format!("/api/v1/issues/{id}"), &housing).await;
    assert!(shown["reporter"].is_null());
    let timeline = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &housing).await;
    assert!(timeline[0]["actor"].is_null(), "the report event hides its actor");
    let shown = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    assert!(shown["reporter"]["id"].is_string(), "staff still know who reported");

    let res = app
        .post(
            &format!("/api/v1/issues/{id}/comments"),
            &staff,
            &json!({"body": "内部：注意保护举报人", "internal": true}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let res = app
        .post(
            &format!("/api/v1/issues/{id}/comments"),
            &staff,
            &json!({"body": "已转住建局办理"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_problem(
        app.post(
            &format!("/api/v1/issues/{id}/comments"),
            &resident,
            &json!({"body": "我想看内部意见", "internal": true}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let theirs = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &resident).await;
    let notes: Vec<&str> = theirs
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert!(
        notes.contains(&"已转住建局办理") && !notes.contains(&"内部：注意保护举报人"),
        "{notes:?}"
    );
    let handlers = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &housing).await;
    assert!(handlers
        .as_array()
        .expect("events")
        .iter()
        .any(|e| e["internal"] == true));

    // Another citizen sees neither the issue nor its photos.
    let other = citizen(&app, &fake, &seed, "resident-f").await;
    assert_problem(
        app.get(&format!("/api/v1/issues/{id}/timeline"), &other).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn citizens_reports_are_limited_per_day_and_photos_are_checked_by_content() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |env| {
        env.insert("MINSHENG_REPORTS_PER_DAY".into(), "2".into());
    })
    .await;
    let seed = app.seed_demo().await;
    let resident = citizen(&app, &fake, &seed, "resident-g").await;
    for n in 0..2 {
        report(
            &app,
            &resident,
            &json!({"description": format!("第{n}个问题：路边停车占道。")}),
        )
        .await;
    }
    let res = app
        .post(
            "/api/v1/issues",
            &resident,
            &json!({"description": "第三个问题：又有车占道。"}),
        )
        .await;
    assert_problem(res, 429, "daily_limit_reached").await;

    let res = upload(&app, &resident, b"GIF89a not a photo we take", "photo.jpg").await;
    assert_problem(res, 415, "unsupported_media_type").await;
    // An iPhone's HEIC is taken and kept as JPEG, whatever the name says; a HEIC that is only a header is not.
    let heic = include_bytes!("../../fixtures/red-blue.heic");
    let res = upload(&app, &resident, heic, "photo.png").await;
    assert_eq!(res.status(), 201);
    let photo: Value = res.json().await.expect("json");
    let res = app
        .get(
            &format!("/api/v1/photos/{}", photo["id"].as_str().expect("id")),
            &resident,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let jpeg = res.bytes().await.expect("bytes");
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
    let res = upload(&app, &resident, &heic[..40], "a.heic").await;
    assert_problem(res, 422, "validation_failed").await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    assert_problem(upload(&app, &staff, &jpeg_with_exif(), "a.jpg").await, 403, "forbidden").await;

    // A photo belongs to whoever uploaded it until a report uses it: nobody else may attach or read it.
    let photo: Value = upload(&app, &resident, &jpeg_with_exif(), "a.jpg")
        .await
        .json()
        .await
        .expect("json");
    let other = citizen(&app, &fake, &seed, "resident-h").await;
    let res = app
        .post(
            "/api/v1/issues",
            &other,
            &json!({"description": "借用别人的照片来举报。", "photo_ids": [photo["id"]]}),
        )
        .await;
    assert_eq!(
        assert_problem(res, 422, "validation_failed").await["field"],
        "photo_ids[0]"
    );
    assert_problem(
        app.get(&format!("/api/v1/photos/{}", photo["id"].as_str().expect("id")), &other)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_reply_nobody_rates_closes_when_its_time_passes() {
    use minsheng_api::worker::supervise;
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let _ = seed;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let issue = report(
        &app,
        &deputy,
        &json!({"description": "路灯不亮已经两周了。", "category_code": "streetlight"}),
    )
    .await;
    let id = issue["id"].as_str().expect("id");
    command(&app, &staff, id, "accept", &json!({})).await;
    command(&app, &staff, id, "route", &json!({})).await;
    command(&app, &housing, id, "sign", &json!({})).await;
    command(
        &app,
        &housing,
        id,
        "reply",
        &json!({"category": "A", "reply": "已修复。"}),
    )
    .await;

    // Nothing is due yet: the worker leaves it alone.
    assert!(supervise::rebuild(&app.state).await.expect("rebuilt") >= 1);
    assert_eq!(supervise::tick(&app.state).await, 0);
    // The rating time (7 days, to the end of the seventh) passes on the service's clock.
    app.state.clock.advance(chrono::Duration::days(8));
    assert_eq!(supervise::tick(&app.state).await, 1);
    assert_eq!(supervise::tick(&app.state).await, 0, "closing happens once");
    let closed = app.get_json(&format!("/api/v1/issues/{id}"), &deputy).await;
    assert_eq!(closed["status"], "closed");
    let timeline = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &deputy).await;
    let last = timeline.as_array().and_then(|t| t.last()).expect("events");
    assert_eq!(last["kind"], "close-unrated");
    assert!(last["actor"].is_null());
    let verified = app
        .get_json(&format!("/api/v1/issues/{id}/timeline/verify"), &deputy)
        .await;
    assert_eq!(verified["intact"], true);
}

#[tokio::test]
async fn routing_rules_and_deadline_policies_are_kept_by_staff_within_their_region() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let housing_id = seed.agency("余姚市住房和城乡建设局").expect("seeded").to_string();
    let beilun_agency = seed.agency("北仑区住房和城乡建设局").expect("seeded").to_string();

    // 余姚 staff add a rule for parking; 北仑 staff cannot write into 余姚, nor name 北仑's agency for 余姚.
    let rule = json!({"region_code": "330281", "category_code": "parking", "lead_agency_id": housing_id});
    assert_problem(
        app.post("/api/v1/routing-rules", &beilun, &rule).await,
        404,
        "not_found",
    )
    .await;
    let wrong = json!({"region_code": "330281", "category_code": "parking", "lead_agency_id": beilun_agency});
    assert_problem(
        app.post("/api/v1/routing-rules", &staff, &wrong).await,
        422,
        "validation_failed",
    )
    .await;
    let res = app.post("/api/v1/routing-rules", &staff, &rule).await;
    assert_eq!(res.status(), 201);
    assert_problem(
        app.post("/api/v1/routing-rules", &staff, &rule).await,
        409,
        "already_exists",
    )
    .await;
    let listed = app.get_json("/api/v1/routing-rules?region=330281", &staff).await;
    assert!(listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|r| r["category_code"] == "parking"));
    assert_problem(app.get("/api/v1/routing-rules", &deputy).await, 403, "forbidden").await;

    // A policy for parking in 余姚: sign within 3 calendar days.
    let mut policy = app.get_json("/api/v1/deadline-policies", &staff).await[0]["policy"].clone();
    policy["sign"] = json!({"count": 3, "unit": "days"});
    let everywhere = json!({"policy": policy.clone()});
    assert_problem(put_policy(&app, &staff, &everywhere).await, 403, "forbidden").await;
    let mut bad = policy.clone();
    bad["reply"]["count"] = json!(0);
    assert_problem(
        put_policy(
            &app,
            &staff,
            &json!({"region_code": "330281", "category_code": "parking", "policy": bad}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let res = put_policy(
        &app,
        &staff,
        &json!({"region_code": "330281", "category_code": "parking", "policy": policy}),
    )
    .await;
    assert_eq!(res.status(), 200);

    // A parking issue is routed by the rule and its sign deadline follows the policy.
    let issue = report(
        &app,
        &deputy,
        &json!({"description": "菜场门口车辆乱停，堵塞消防通道。", "category_code": "parking"}),
    )
    .await;
    let id = issue["id"].as_str().expect("id");
    command(&app, &staff, id, "accept", &json!({})).await;
    let routed = command(&app, &staff, id, "route", &json!({})).await;
    assert_eq!(routed["lead_agency"]["id"], housing_id.as_str());
    let due = chrono_like(&open_stage(&routed, "sign").expect("sign deadline"));
    let today = chrono_like(routed["updated_at"].as_str().expect("time"));
    let days = (due - today).num_hours();
    assert!(
        (48..=96).contains(&days),
        "three calendar days, ending at midnight: {days} hours"
    );
    let signed = command(&app, &housing, id, "sign", &json!({})).await;
    assert!(open_stage(&signed, "reply").is_some());

    // Staff give 凤山街道 its own issue numbers; their own county's prefix is above their reach.
    let fengshan = app
        .patch("/api/v1/regions/330281001", &staff, &json!({"issue_prefix": "fs"}))
        .await;
    assert_eq!(
        assert_problem(fengshan, 422, "validation_failed").await["field"],
        "issue_prefix"
    );
    assert_problem(
        app.patch("/api/v1/regions/330281", &staff, &json!({"issue_prefix": "YZ"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let region = app
        .patch_json("/api/v1/regions/330281001", &staff, &json!({"issue_prefix": "FS"}))
        .await;
    assert_eq!(
        (region["issue_prefix"].as_str(), region["name"].as_str()),
        (Some("FS"), Some("凤山街道"))
    );
    let next = report(
        &app,
        &deputy,
        &json!({"description": "凤山街道的下一个问题：路牌倒了。"}),
    )
    .await;
    assert!(
        next["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("FS-") && n.ends_with("-000001")),
        "{next}"
    );
}

async fn put_policy(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.call(Method::PUT, "/api/v1/deadline-policies", Some(token), Some(body))
        .await
}

fn chrono_like(rfc3339: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).expect("RFC 3339")
}

#[tokio::test]
async fn a_routing_rule_suggests_only_the_co_agencies_that_serve_the_issues_place() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let fengshan_office = seed.agency("凤山街道办事处").expect("seeded").to_string();
    let housing = seed.agency("余姚市住房和城乡建设局").expect("seeded").to_string();
    // The county's rule for roads: 住建局 leads, 凤山街道办事处 assists — in 凤山. An issue at 阳明's station is
    // outside that office's township: the suggestion leaves it out, and routing on the suggestion succeeds.
    for (deputy, office_assists) in [(WANG_DEPUTY, true), (LI_DEPUTY, false)] {
        let token = app.sign_in(deputy, PASSWORD).await;
        let issue = report(
            &app,
            &token,
            &json!({"description": "人行道砖块松动，老人容易绊倒。", "category_code": "road_damage"}),
        )
        .await;
        let id = issue["id"].as_str().expect("id").to_owned();
        let accepted = command(&app, &staff, &id, "accept", &json!({})).await;
        let suggestion = &accepted["routing_suggestion"];
        assert_eq!(suggestion["lead_agency_id"], housing.as_str());
        let expected = if office_assists {
            json!([fengshan_office])
        } else {
            json!([])
        };
        assert_eq!(suggestion["co_agency_ids"], expected, "{deputy}: {suggestion}");
        let routed = command(&app, &staff, &id, "route", &json!({})).await;
        assert_eq!(routed["lead_agency"]["name"], "余姚市住房和城乡建设局");
        assert_eq!(
            routed["co_agencies"].as_array().map(Vec::len),
            Some(usize::from(office_assists)),
            "{routed}"
        );
    }
}

/// The rule for a reply sent while the handler's own extension request waits for staff (issue #35's eighth defect):
/// the reply withdraws the request, visibly — the request leaves staff's 待审批延期 with its withdrawal in the
/// timeline, and deciding it afterwards finds nothing to decide.
#[tokio::test]
async fn a_reply_withdraws_the_handlers_pending_extension_request_in_the_timeline() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let id = super::supervision::routed_issue(&app, &deputy, &staff, "延期申请中答复").await;
    command(&app, &housing, &id, "sign", &json!({})).await;
    let asked = command(
        &app,
        &housing,
        &id,
        "extensions",
        &json!({"days": 3, "reason": "等待材料"}),
    )
    .await;
    let extension = asked["pending_extension"]["id"].as_str().expect("pending").to_owned();
    let waiting = |inbox: &Value| {
        inbox["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter(|s| s["reason"] == "to_decide")
            .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
            .any(|i| i["id"] == id.as_str())
    };
    assert!(
        waiting(&app.get_json("/api/v1/inbox", &staff).await),
        "staff have it to decide"
    );

    let replied = command(
        &app,
        &housing,
        &id,
        "reply",
        &json!({"category": "A", "reply": "材料已到，路灯已修复"}),
    )
    .await;
    assert_eq!(replied["status"], "replied");
    assert!(replied["pending_extension"].is_null());
    assert!(
        !waiting(&app.get_json("/api/v1/inbox", &staff).await),
        "nothing left for staff to decide"
    );
    let timeline = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &staff).await;
    let reply = timeline
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "reply")
        .expect("a reply event");
    assert_eq!(
        reply["data"]["withdrawn_extension_id"],
        extension.as_str(),
        "the reply names the request it withdrew: {reply}"
    );
    assert_problem(
        app.post(
            &format!("/api/v1/issues/{id}/extensions/{extension}/decision"),
            &staff,
            &json!({"approve": true}),
        )
        .await,
        409,
        "wrong_state",
    )
    .await;
    assert_eq!(
        sql(
            &app,
            &format!("SELECT 1 FROM extensions WHERE id = '{extension}' AND decision = 'withdrawn'")
        )
        .await,
        1,
        "the request itself says it was withdrawn"
    );
}

/// One search box (issue #35): number, text and address for everyone in their scope; a reporter's name or the last
/// digits of their phone only where the issue's page would show that reporter — staff every one, a handler not an
/// anonymous one, a citizen nobody else.
#[tokio::test]
async fn one_search_box_finds_by_number_address_and_reporter_only_where_the_reporter_is_shown() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await; // 王建国, 13900000011
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let resident = citizen(&app, &fake, &seed, "searching-resident").await;
    let named = report(
        &app,
        &deputy,
        &json!({"description": "路灯不亮。", "category_code": "streetlight",
                "location": {"address": "凤山街道舜水南路88号"}}),
    )
    .await;
    let hidden = report(
        &app,
        &deputy,
        &json!({"description": "路灯闪烁，请为我保密。", "category_code": "streetlight", "anonymous": true}),
    )
    .await;
    for issue in [&named, &hidden] {
        let id = issue["id"].as_str().expect("id");
        command(&app, &staff, id, "accept", &json!({})).await;
        command(&app, &staff, id, "route", &json!({})).await;
    }
    let (named_id, hidden_id) = (named["id"].as_str().expect("id"), hidden["id"].as_str().expect("id"));
    let found = |token: String, q: &'static str| {
        let app = &app;
        async move {
            let res = app.get(&format!("/api/v1/issues?q={}", url_escape(q)), &token).await;
            assert_eq!(res.status(), 200, "{q}");
            let page: Value = res.json().await.expect("json");
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|i| i["id"].as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        }
    };
    let number: &'static str = Box::leak(named["number"].as_str().expect("number").to_owned().into_boxed_str());
    assert_eq!(found(staff.clone(), number).await, [named_id]);
    assert_eq!(found(staff.clone(), "舜水南路88").await, [named_id], "by address");
    // Each row names who works the issue, read with the list: a handler may not list the agencies.
    let inbox = app.get_json("/api/v1/inbox", &housing).await;
    let row = inbox["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
        .find(|i| i["id"] == named_id)
        .expect("in the handler's inbox");
    assert_eq!(row["lead_agency_name"], "余姚市住房和城乡建设局", "{row}");
    let by_name = found(staff.clone(), "王建国").await;
    assert!(
        by_name.contains(&named_id.to_owned()) && by_name.contains(&hidden_id.to_owned()),
        "{by_name:?}"
    );
    let by_phone = found(staff.clone(), "0011").await;
    assert!(
        by_phone.contains(&hidden_id.to_owned()),
        "staff find by the phone's last digits: {by_phone:?}"
    );
    // The handler sees 王建国 on the named issue's page, not on the anonymous one's: the search says no more.
    let theirs = found(housing.clone(), "王建国").await;
    assert!(theirs.contains(&named_id.to_owned()), "{theirs:?}");
    assert!(
        !theirs.contains(&hidden_id.to_owned()),
        "an anonymous reporter is not found by name: {theirs:?}"
    );
    assert!(!found(housing.clone(), "0011").await.contains(&hidden_id.to_owned()));
    // A citizen searches within their own reports only, and never by another's name.
    assert!(found(resident.clone(), "王建国").await.is_empty());
    assert!(found(resident.clone(), "舜水南路").await.is_empty());
}

fn url_escape(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

/// Nearby duplicates at triage, on the demo county's own reports (issue #35's fourteenth defect): a new streetlight
/// report between 阳明公园 and 双河弄 is shown both open streetlight issues there, and still is two months on — an
/// open issue is a likely twin whatever its age; an issue closed lately counts too (within `days`), a merged one
/// never.
#[tokio::test]
async fn triage_is_shown_the_open_twins_nearby_whatever_their_age_and_the_lately_closed() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    minsheng_demo::seed_lively((*app.state.config).clone(), seed.clone())
        .await
        .expect("the county at work loads");
    let titles = |found: &Value| -> Vec<String> {
        found
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|n| n["issue"]["title"].as_str().map(str::to_owned))
            .collect()
    };
    let near = |latitude: f64, longitude: f64, days: Option<u32>| {
        let app = &app;
        async move {
            let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
            let days = days.map(|d| format!("&days={d}")).unwrap_or_default();
            app.get_json(
                &format!("/api/v1/issues/nearby?latitude={latitude}&longitude={longitude}&category=streetlight{days}"),
                &staff,
            )
            .await
        }
    };
    let between = titles(&near(30.0491, 121.1605, None).await);
    assert!(
        between.contains(&"公园步道照明不足".to_owned()) && between.contains(&"背街小巷无路灯".to_owned()),
        "{between:?}"
    );

    app.state.clock.advance(chrono::Duration::days(60));
    let later = titles(&near(30.0491, 121.1605, None).await);
    assert_eq!(later.len(), 2, "still open, still twins, two months on: {later:?}");
    // 新建路: one closed, one merged into it. Closed within the days asked for, it is shown; the merged one never.
    let xinjian = titles(&near(30.0403, 121.1521, Some(365)).await);
    assert_eq!(xinjian, ["新建路路灯连续不亮"], "{xinjian:?}");
    assert!(
        titles(&near(30.0403, 121.1521, None).await).is_empty(),
        "closed more than 30 days ago"
    );
}
