//! The clerk's desk (issue #35): bulk commands with per-issue outcomes, templates (知识库) that fit the issue and
//! fill themselves in, and Excel exports with the rows and masking of the screen.

use crate::issues::{citizen, command, report, BEILUN_STAFF, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use std::io::Read;

fn id(v: &Value) -> &str {
    v["id"].as_str().expect("id")
}

/// Staff accept four issues at once: two of theirs are accepted, one already accepted is refused for its state
/// and one of 北仑 (outside their reach) is not found — each said of its own issue, the others done regardless.
/// Routing the accepted two in bulk sends each by its own routing rule, in each one's timeline. A handler's bulk
/// acceptance is refused issue by issue; a batch with no issue or one named twice is refused whole.
#[tokio::test]
async fn bulk_commands_act_on_each_issue_alone_and_say_what_became_of_each() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let light = report(
        &app,
        &deputy,
        &json!({"description": "路灯不亮，夜里很黑。", "category_code": "streetlight"}),
    )
    .await;
    let drain = report(
        &app,
        &deputy,
        &json!({"description": "下水道堵塞，污水外溢。", "category_code": "drainage"}),
    )
    .await;
    let taken = report(
        &app,
        &deputy,
        &json!({"description": "路灯闪烁，影响通行。", "category_code": "streetlight"}),
    )
    .await;
    command(&app, &staff, id(&taken), "accept", &json!({})).await;
    let beilun_deputy = app.sign_in("13900000014", PASSWORD).await; // 陈海波, 新碶 station
    let elsewhere = report(
        &app,
        &beilun_deputy,
        &json!({"description": "北仑的道路破损。", "category_code": "road_damage"}),
    )
    .await;

    let ids = [id(&light), id(&drain), id(&taken), id(&elsewhere)];
    let res = app
        .post(
            "/api/v1/issues/bulk",
            &staff,
            &json!({"action": "accept", "issue_ids": ids, "note": "批量受理"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let done: Value = res.json().await.expect("json");
    assert_eq!(
        (done["done"].as_u64(), done["failed"].as_u64()),
        (Some(2), Some(2)),
        "{done}"
    );
    let items = done["items"].as_array().expect("items");
    assert_eq!(
        items.iter().map(|i| i["issue_id"].as_str()).collect::<Vec<_>>(),
        ids.map(Some)
    );
    assert_eq!(
        (items[0]["ok"].as_bool(), items[0]["status"].as_str()),
        (Some(true), Some("accepted"))
    );
    assert_eq!(items[0]["number"], light["number"]);
    assert_eq!(items[2]["problem"]["code"], "wrong_state", "{}", items[2]);
    assert_eq!(items[2]["problem"]["state"], "accepted");
    assert_eq!(items[3]["problem"]["code"], "not_found", "{}", items[3]);
    assert!(
        items[3]["number"].is_null(),
        "nothing of another region's issue is told"
    );
    let timeline = app
        .get_json(&format!("/api/v1/issues/{}/timeline", id(&drain)), &staff)
        .await;
    let accepted = timeline
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "accept")
        .expect("accepted");
    assert_eq!(accepted["note"], "批量受理");
    let still = app
        .get_json(&format!("/api/v1/issues/{}", id(&elsewhere)), &beilun)
        .await;
    assert_eq!(still["status"], "submitted", "北仑's issue is untouched");

    // Routed in bulk, each by its own rule: streetlights to housing, drains to water.
    let routed: Value = app
        .post(
            "/api/v1/issues/bulk",
            &staff,
            &json!({"action": "route", "issue_ids": [id(&light), id(&drain), id(&taken)]}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(routed["done"], 3, "{routed}");
    let lead = |issue: &Value| {
        let app = &app;
        let staff = &staff;
        let path = format!("/api/v1/issues/{}", id(issue));
        async move { app.get_json(&path, staff).await["lead_agency"]["name"].clone() }
    };
    assert_eq!(lead(&light).await, "余姚市住房和城乡建设局");
    assert_eq!(lead(&drain).await, "余姚市水利局");

    // Urged in bulk; a handler may not accept or urge in bulk any more than one by one.
    let urged: Value = app
        .post(
            "/api/v1/issues/bulk",
            &staff,
            &json!({"action": "urge", "issue_ids": [id(&light), id(&drain)]}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(urged["done"], 2, "{urged}");
    let refused: Value = app
        .post(
            "/api/v1/issues/bulk",
            &housing,
            &json!({"action": "key-supervision", "issue_ids": [id(&light)]}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(refused["items"][0]["problem"]["code"], "forbidden", "{refused}");

    let empty = app
        .post(
            "/api/v1/issues/bulk",
            &staff,
            &json!({"action": "accept", "issue_ids": []}),
        )
        .await;
    let problem = assert_problem(empty, 422, "validation_failed").await;
    assert_eq!(problem["field"], "issue_ids");
    let twice = app
        .post(
            "/api/v1/issues/bulk",
            &staff,
            &json!({"action": "urge", "issue_ids": [id(&light), id(&light)]}),
        )
        .await;
    let problem = assert_problem(twice, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "issue_ids[1]");
    let unknown = app
        .post(
            "/api/v1/issues/bulk",
            &staff,
            &json!({"action": "close", "issue_ids": [id(&light)]}),
        )
        .await;
    assert_eq!(unknown.status(), 400);
}

/// 知识库: 余姚's staff keep a reply template for the whole county and one for the housing bureau's streetlight
/// issues; the housing handler answering a streetlight issue is offered both, the closer fit first, each filled in
/// with the issue's number and place. The water bureau's own template is not offered to housing. 北仑's staff
/// cannot keep one in 余姚 nor see 余姚's; an unknown placeholder is refused by name; a citizen is offered none.
#[tokio::test]
async fn templates_fit_the_issue_at_hand_and_fill_in_its_number_and_place() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let resident = citizen(&app, &fake, &seed, "template-resident").await;
    let agency_of = |name: &str| {
        seed.agencies
            .iter()
            .find(|a| a.name == name)
            .expect("seeded agency")
            .id
            .to_string()
    };
    let (housing_id, water_id) = (agency_of("余姚市住房和城乡建设局"), agency_of("余姚市水利局"));

    let keep = |body: Value| {
        let app = &app;
        let staff = staff.clone();
        async move {
            let res = app.post("/api/v1/templates", &staff, &body).await;
            assert_eq!(res.status(), 201);
            res.json::<Value>().await.expect("json")
        }
    };
    let county = keep(json!({"kind": "reply", "region_code": "330281", "title": "通用答复",
        "body": "您于{反映日期}反映的问题（{编号}）已办理，感谢监督。"}))
    .await;
    let lights = keep(
        json!({"kind": "reply", "region_code": "330281", "agency_id": housing_id,
        "category_code": "streetlight", "title": "路灯已修复", "body": "{地点}的路灯已由{主办单位}修复（{编号}）。"}),
    )
    .await;
    keep(
        json!({"kind": "reply", "region_code": "330281", "agency_id": water_id, "title": "水利答复",
        "body": "水利局已处理{编号}。"}),
    )
    .await;
    keep(json!({"kind": "decline", "region_code": "330281", "title": "不属于受理范围", "body": "{编号}不属于人大代表联络站受理范围。"})).await;

    let issue = report(
        &app,
        &resident,
        &json!({"description": "小区门口路灯坏了。", "category_code": "streetlight",
                "location": {"address": "凤山街道新建路12号"}}),
    )
    .await;
    command(&app, &staff, id(&issue), "accept", &json!({})).await;
    command(&app, &staff, id(&issue), "route", &json!({})).await;
    let number = issue["number"].as_str().expect("number");

    let offered = app
        .get_json(&format!("/api/v1/issues/{}/templates?kind=reply", id(&issue)), &housing)
        .await;
    let offered = offered.as_array().expect("a list");
    assert_eq!(
        offered.iter().map(|t| t["id"].as_str()).collect::<Vec<_>>(),
        [Some(id(&lights)), Some(id(&county))],
        "the closer fit first, another agency's not at all: {offered:?}"
    );
    assert_eq!(
        offered[0]["text"],
        format!("凤山街道新建路12号的路灯已由余姚市住房和城乡建设局修复（{number}）。")
    );
    assert!(offered[1]["text"].as_str().expect("text").contains(number));
    assert!(
        !offered[1]["text"].as_str().expect("text").contains('{'),
        "every placeholder filled"
    );
    let declines = app
        .get_json(&format!("/api/v1/issues/{}/templates?kind=decline", id(&issue)), &staff)
        .await;
    assert_eq!(declines[0]["text"], format!("{number}不属于人大代表联络站受理范围。"));

    let res = app
        .get(
            &format!("/api/v1/issues/{}/templates?kind=reply", id(&issue)),
            &resident,
        )
        .await;
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .get(&format!("/api/v1/issues/{}/templates?kind=reply", id(&issue)), &beilun)
        .await;
    assert_problem(res, 404, "not_found").await;

    let bad = app
        .post(
            "/api/v1/templates",
            &staff,
            &json!({"kind": "reply", "region_code": "330281", "title": "称呼",
            "body": "{姓名}您好"}),
        )
        .await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(
        (
            problem["errors"][0]["field"].as_str(),
            problem["errors"][0]["code"].as_str()
        ),
        (Some("body"), Some("unknown_placeholder"))
    );
    let outside = app
        .post(
            "/api/v1/templates",
            &beilun,
            &json!({"kind": "reply", "region_code": "330281", "title": "越权", "body": "不应保存"}),
        )
        .await;
    // As for any region beyond their reach: not found, naming the field.
    let problem = assert_problem(outside, 404, "not_found").await;
    assert_eq!(
        problem["field"], "region_code",
        "北仑's staff may not keep 余姚's templates"
    );
    let listed = app.get_json("/api/v1/templates", &beilun).await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(0),
        "nor see them: {listed}"
    );
    let res = app
        .patch(
            &format!("/api/v1/templates/{}", id(&county)),
            &beilun,
            &json!({"title": "改"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;

    let changed = app
        .patch_json(
            &format!("/api/v1/templates/{}", id(&county)),
            &staff,
            &json!({"title": "通用答复（新）"}),
        )
        .await;
    assert_eq!(changed["title"], "通用答复（新）");
    let gone = app
        .call(
            Method::DELETE,
            &format!("/api/v1/templates/{}", id(&county)),
            Some(&staff),
            None,
        )
        .await;
    assert_eq!(gone.status(), 204);
    let offered = app
        .get_json(&format!("/api/v1/issues/{}/templates?kind=reply", id(&issue)), &housing)
        .await;
    assert_eq!(offered.as_array().map(Vec::len), Some(1));
}

/// The strings of a workbook's cells (its shared strings), in order.
fn cells(bytes: &[u8]) -> String {
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an .xlsx is a zip");
    let mut xml = String::new();
    book.by_name("xl/sharedStrings.xml")
        .expect("shared strings")
        .read_to_string(&mut xml)
        .expect("utf-8");
    xml
}

async fn sheet(app: &TestApp, path: &str, token: &str) -> String {
    let res = app.get(path, token).await;
    assert_eq!(res.status(), 200, "{path}");
    let kind = res.headers()["content-type"].to_str().expect("ascii").to_owned();
    assert_eq!(
        kind,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = res.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(".xlsx"),
        "{disposition}"
    );
    cells(&res.bytes().await.expect("bytes"))
}

/// `/exports/…` of the issue list, the deadline board and a statistics table: the rows the screen lists under the
/// same filters, in the glossary's words with Chinese headers, and masked as the list is — an anonymous reporter's
/// phone number in their words is masked for everyone reading the list. Another region's issues are not in the
/// sheet, as they are not in the list, and a filter beyond reach is refused as the list refuses it.
#[tokio::test]
async fn lists_export_to_excel_with_the_rows_and_masking_of_the_screen() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let open = report(
        &app,
        &deputy,
        &json!({"description": "路灯不亮，请联系我13812345678。", "category_code": "streetlight", "anonymous": true,
                "title": "新建路路灯不亮"}),
    )
    .await;
    command(&app, &staff, id(&open), "accept", &json!({})).await;
    command(&app, &staff, id(&open), "route", &json!({})).await;
    let number = open["number"].as_str().expect("number");

    let issues = sheet(&app, "/api/v1/exports/issues?status=routed", &staff).await;
    for word in [
        "编号",
        "状态",
        "主办单位",
        "办理时限",
        number,
        "新建路路灯不亮",
        "已交办",
        "路灯",
        "余姚市住房和城乡建设局",
    ] {
        assert!(issues.contains(word), "{word} in the sheet");
    }
    assert!(!issues.contains("13812345678"), "the list's masking holds in the sheet");
    assert!(
        !issues.contains("routed") && !issues.contains("streetlight"),
        "no code where a word belongs"
    );
    let theirs = sheet(&app, "/api/v1/exports/issues", &beilun).await;
    assert!(
        !theirs.contains(number),
        "another region's sheet holds none of 余姚's issues"
    );

    let board = sheet(&app, "/api/v1/exports/deadlines", &staff).await;
    for word in ["环节", "截止时间", number, "签收", "正常", "余姚市住房和城乡建设局"] {
        assert!(board.contains(word), "{word} on the board's sheet");
    }
    let table = sheet(&app, "/api/v1/exports/stats/agencies", &staff).await;
    for word in ["承办单位", "按时答复率%", "余姚市住房和城乡建设局"] {
        assert!(table.contains(word), "{word} in the statistics sheet");
    }
    // The list's own rules hold: a filter beyond reach is refused as the list refuses it.
    let res = app.get("/api/v1/exports/issues?region=330206", &staff).await;
    assert_problem(res, 404, "not_found").await;
    let res = app.get("/api/v1/exports/stats/weeks", &staff).await;
    assert_problem(res, 404, "not_found").await;
}

/// Saved filters are the person's own, on any device they sign in on: 陈晓燕 keeps "我区红牌" for the issue list and
/// finds it on a second sign-in; a second of the same name is a 409, a parameter the list does not take a 422 naming
/// it; 北仑's staff neither see nor remove hers.
#[tokio::test]
async fn saved_filters_are_the_persons_own_wherever_they_sign_in() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let red = json!({"screen": "issues", "name": "我区红牌", "query": {"warning": "red", "region": "330281"}});
    let res = app.post("/api/v1/me/filters", &staff, &red).await;
    assert_eq!(res.status(), 201);
    let saved: Value = res.json().await.expect("json");
    let again = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let listed = app.get_json("/api/v1/me/filters", &again).await;
    assert_eq!(listed[0]["name"], "我区红牌");
    assert_eq!(listed[0]["query"], json!({"warning": "red", "region": "330281"}));
    assert_problem(
        app.post("/api/v1/me/filters", &staff, &red).await,
        409,
        "already_exists",
    )
    .await;
    let paging = json!({"screen": "deadlines", "name": "翻页", "query": {"cursor": "x"}});
    let problem = assert_problem(
        app.post("/api/v1/me/filters", &staff, &paging).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "query.cursor");
    assert_eq!(app.get_json("/api/v1/me/filters", &beilun).await, json!([]));
    let path = format!("/api/v1/me/filters/{}", id(&saved));
    let theirs = app.call(Method::DELETE, &path, Some(&beilun), None).await;
    assert_problem(theirs, 404, "not_found").await;
    assert_eq!(app.call(Method::DELETE, &path, Some(&staff), None).await.status(), 204);
    assert_eq!(app.get_json("/api/v1/me/filters", &staff).await, json!([]));
}

/// Every notification written shows on the admin's delivery screen with what became of it (issue #35's eleventh
/// defect: without WeChat the screens stayed empty after routing and urging). Accepting, routing and urging a
/// deputy's report with WeChat not set up: the in-app notifications are there, sent, and the reporter's WeChat
/// messages are there as skipped because WeChat is not configured; the summary counts them channel by channel.
/// Handlers and staff see none of it.
#[tokio::test]
async fn every_notification_shows_with_what_became_of_it_even_without_wechat() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let issue = report(
        &app,
        &deputy,
        &json!({"description": "路灯不亮，夜里很黑。", "category_code": "streetlight"}),
    )
    .await;
    command(&app, &staff, id(&issue), "accept", &json!({})).await;
    command(&app, &staff, id(&issue), "route", &json!({})).await;
    command(&app, &deputy, id(&issue), "urge", &json!({})).await;

    let summary = app.get_json("/api/v1/outbox/summary", &admin).await;
    let count = |channel: &str, status: &str| {
        summary["tallies"]
            .as_array()
            .expect("tallies")
            .iter()
            .find(|t| t["channel"] == channel && t["status"] == status)
            .and_then(|t| t["count"].as_i64())
            .unwrap_or(0)
    };
    assert!(
        count("in_app", "sent") >= 4,
        "the reporter twice, the handlers of the routing and the urging: {summary}"
    );
    assert_eq!(
        count("wechat", "skipped"),
        2,
        "accepted and routed, each a WeChat message never sent: {summary}"
    );

    let skipped = app
        .get_json("/api/v1/outbox?channel=wechat&status=skipped", &admin)
        .await;
    let skipped = skipped["items"].as_array().expect("items");
    assert_eq!(skipped.len(), 2);
    assert!(
        skipped
            .iter()
            .all(|m| m["last_error"] == "not_configured" && m["issue_id"] == issue["id"]),
        "{skipped:?}"
    );
    let kinds: Vec<_> = skipped.iter().filter_map(|m| m["kind"].as_str()).collect();
    assert!(kinds.contains(&"routed") && kinds.contains(&"accepted"), "{kinds:?}");
    let in_app = app.get_json("/api/v1/outbox?channel=in_app", &admin).await;
    let urged = in_app["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["kind"] == "urged")
        .cloned();
    let urged = urged.expect("the urging's in-app notification");
    assert_eq!(
        (urged["status"].as_str(), urged["read_at"].as_str()),
        (Some("sent"), None)
    );

    assert_problem(app.get("/api/v1/outbox/summary", &staff).await, 403, "forbidden").await;
    let res = app.get("/api/v1/outbox?channel=sms", &admin).await;
    let problem = assert_problem(res, 400, "invalid_query").await;
    assert_eq!(problem["field"], "channel");
}

/// Categories per area (as FixMyStreet keeps them per body): 余姚 stops offering 噪声扰民 in its subtree, calls
/// streetlights by a name of its own, and adds 河道保洁 for itself; reporters, routing rules and statistics follow,
/// while 北仑 keeps the shared list untouched and never sees 余姚's own. 北仑's staff can change nothing of 余姚's.
#[tokio::test]
async fn a_county_offers_renames_and_adds_categories_for_its_own_subtree() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let offered = |region: &'static str| {
        let app = &app;
        async move {
            let page = app
                .public_json(&format!("/api/v1/categories?region={region}&limit=100"))
                .await;
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|c| {
                    (
                        c["code"].as_str().expect("code").to_owned(),
                        c["name"].as_str().expect("name").to_owned(),
                    )
                })
                .collect::<std::collections::BTreeMap<_, _>>()
        }
    };
    let put = |token: String, path: &'static str, body: Value| {
        let app = &app;
        async move { app.call(Method::PUT, path, Some(&token), Some(&body)).await }
    };
    let res = put(
        staff.clone(),
        "/api/v1/regions/330281/categories/noise",
        json!({"offered": false}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = put(
        staff.clone(),
        "/api/v1/regions/330281/categories/streetlight",
        json!({"offered": true, "name": "路灯（余姚）"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let own = app
        .post(
            "/api/v1/categories",
            &staff,
            &json!({"code": "river_cleaning", "name": "河道保洁", "region_code": "330281"}),
        )
        .await;
    assert_eq!(own.status(), 201);
    let shared = app
        .post(
            "/api/v1/categories",
            &staff,
            &json!({"code": "shared_thing", "name": "共用分类"}),
        )
        .await;
    assert_problem(shared, 403, "forbidden").await;

    // Reporters in 余姚 (down to a township) and in 北仑 see each their own list.
    let fengshan = offered("330281001").await;
    assert!(!fengshan.contains_key("noise"), "{fengshan:?}");
    assert_eq!(fengshan["streetlight"], "路灯（余姚）");
    assert_eq!(fengshan["river_cleaning"], "河道保洁");
    let station = seed
        .stations
        .iter()
        .find(|s| s.name == "凤山街道人大代表联络站")
        .expect("seeded")
        .id;
    let through = app
        .public_json(&format!("/api/v1/categories?station={station}&limit=100"))
        .await;
    let codes: Vec<_> = through["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert!(
        !codes.contains(&"noise") && codes.contains(&"river_cleaning"),
        "{codes:?}"
    );
    let elsewhere = offered("330206").await;
    assert!(
        elsewhere.contains_key("noise") && !elsewhere.contains_key("river_cleaning"),
        "{elsewhere:?}"
    );
    assert_ne!(elsewhere["streetlight"], "路灯（余姚）");

    // A report, and a routing rule, of a category not offered there are refused naming the field.
    let refused = app
        .post(
            "/api/v1/issues",
            &deputy,
            &json!({"description": "广场舞音响太吵。", "category_code": "noise"}),
        )
        .await;
    let problem = assert_problem(refused, 422, "validation_failed").await;
    assert_eq!(
        (
            problem["errors"][0]["field"].as_str(),
            problem["errors"][0]["code"].as_str()
        ),
        (Some("category_code"), Some("category_not_offered"))
    );
    let river = report(
        &app,
        &deputy,
        &json!({"description": "河道里漂着垃圾。", "category_code": "river_cleaning"}),
    )
    .await;
    assert_eq!(river["category_code"], "river_cleaning");
    let agencies = app.get_json("/api/v1/agencies?region=330281&limit=100", &staff).await;
    let lead = agencies["items"][0]["id"].clone();
    let rule = app
        .post(
            "/api/v1/routing-rules",
            &staff,
            &json!({"region_code": "330281", "category_code": "noise", "lead_agency_id": lead}),
        )
        .await;
    let problem = assert_problem(rule, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "category_not_offered");

    // Statistics name the category as 余姚 calls it.
    let light = report(
        &app,
        &deputy,
        &json!({"description": "路灯不亮。", "category_code": "streetlight"}),
    )
    .await;
    assert_eq!(light["category_code"], "streetlight");
    let table = app.get_json("/api/v1/stats/categories?region=330281", &staff).await;
    let names: Vec<_> = table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(
        names.contains(&"路灯（余姚）") && names.contains(&"河道保洁"),
        "{names:?}"
    );

    // The region's own screen: every category with what it set; 北仑 may not touch 余姚's, nor offer 余姚's own.
    let here = app.get_json("/api/v1/regions/330281/categories", &staff).await;
    let noise = here
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["code"] == "noise")
        .expect("noise listed");
    assert_eq!(
        (noise["offered"].as_bool(), noise["set_here"]["offered"].as_bool()),
        (Some(false), Some(false))
    );
    let res = put(
        beilun.clone(),
        "/api/v1/regions/330281/categories/noise",
        json!({"offered": true}),
    )
    .await;
    assert_problem(res, 404, "not_found").await;
    let res = put(
        beilun.clone(),
        "/api/v1/regions/330206/categories/river_cleaning",
        json!({"offered": true}),
    )
    .await;
    assert_problem(res, 404, "not_found").await;
    let theirs = app.get_json("/api/v1/regions/330206/categories", &beilun).await;
    assert!(!theirs
        .as_array()
        .expect("a list")
        .iter()
        .any(|c| c["code"] == "river_cleaning"));
}
