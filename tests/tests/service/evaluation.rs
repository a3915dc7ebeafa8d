//! 评 Evaluate and publish: the seeds' figures reproduced from issues walked through the loop over HTTP, who may read
//! which figures, the public results that leak nothing, and 民情专报 bulletins in their three formats.

use super::issues::{
    citizen, command, report, BEILUN_HANDLER, BEILUN_STAFF, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF,
};
use chrono::{DateTime, Utc};
use minsheng_api::worker::supervise;
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

/// 陈海波, deputy of 北仑's 新碶 station.
const BEILUN_DEPUTY: &str = "13900000014";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
}

/// A count of the figures.
fn count(figures: &Value, name: &str) -> u64 {
    figures["counts"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("{name} in {figures}"))
}

/// 北仑 民生夜询会: "117 issues raised, 61 solved on the spot, 44 solved later, 12 planned; reply rate 100 %".
/// The deputy raises them at an evening meeting; the department answers 61 that evening and the rest the next day.
#[tokio::test]
async fn the_beilun_evening_meetings_figures_come_out_exactly() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let deputy = app.sign_in(BEILUN_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let handler = app.sign_in(BEILUN_HANDLER, PASSWORD).await;

    // Tuesday 10 March 2026, 19:00: the meeting at the 新碶 station.
    app.state.clock.set(at("2026-03-10T19:00:00+08:00"));
    let mut ids = Vec::new();
    for n in 1..=117 {
        let issue = report(
            &app,
            &deputy,
            &json!({"description": format!("夜询会问题第{n}件：明州路人行道破损"), "category_code": "road_damage"}),
        )
        .await;
        let id = issue["id"].as_str().expect("id").to_owned();
        command(&app, &staff, &id, "accept", &json!({})).await;
        command(&app, &staff, &id, "route", &json!({})).await;
        command(&app, &handler, &id, "sign", &json!({})).await;
        ids.push(id);
    }
    app.state.clock.set(at("2026-03-10T21:30:00+08:00"));
    for id in &ids[..61] {
        let body = json!({"category": "A", "reply": "现场答复，已当场落实。"});
        command(&app, &handler, id, "reply", &body).await;
    }
    // The next morning: 44 solved, 12 put into the department's plan.
    app.state.clock.set(at("2026-03-11T10:00:00+08:00"));
    for id in &ids[61..105] {
        let body = json!({"category": "A", "reply": "会后追踪，已修复。"});
        command(&app, &handler, id, "reply", &body).await;
    }
    for id in &ids[105..] {
        let body = json!({"category": "B", "reply": "已列入明年道路维修计划。"});
        command(&app, &handler, id, "reply", &body).await;
    }
    // The deputy rates ten of them.
    for (i, id) in ids[..10].iter().enumerate() {
        let rating = if i < 8 { "satisfied" } else { "basically_satisfied" };
        command(&app, &deputy, id, "ratings", &json!({"rating": rating})).await;
    }

    let march = "region=330206&from=2026-03-01&to=2026-03-31";
    let overview = app.get_json(&format!("/api/v1/stats/overview?{march}"), &staff).await;
    assert_eq!(overview["region"]["code"], "330206");
    assert_eq!(count(&overview, "reported"), 117);
    assert_eq!(count(&overview, "solved_on_the_spot"), 61, "{overview}");
    assert_eq!(count(&overview, "solved_later"), 44);
    assert_eq!(count(&overview, "replied_b"), 12);
    assert_eq!(count(&overview, "replied_a"), 105);
    assert_eq!(count(&overview, "replied_c"), 0);
    assert_eq!(count(&overview, "replied"), 117);
    assert_eq!(count(&overview, "routed"), 117);
    assert_eq!(count(&overview, "closed"), 10);
    assert_eq!(count(&overview, "overdue_now"), 0);
    assert_eq!(
        overview["rates"]["reply"],
        json!({"of": 117, "over": 117, "percent": 100.0})
    );
    assert_eq!(
        overview["rates"]["solve"],
        json!({"of": 105, "over": 117, "percent": 89.7})
    );
    assert_eq!(overview["rates"]["on_time"]["percent"], 100.0);
    assert_eq!(
        overview["rates"]["satisfaction"],
        json!({"of": 10, "over": 10, "percent": 100.0})
    );
    // Signed within minutes; replied within the evening or by the next morning: well under a working day.
    let to_reply = &overview["times"]["to_reply"];
    assert_eq!(to_reply["count"], 117);
    let p90 = to_reply["p90"].as_f64().expect("p90");
    assert!(p90 > 0.5 && p90 < 1.0, "{to_reply}");
    assert_eq!(overview["times"]["to_sign"]["count"], 117);

    // The same issues by agency, station, deputy and week.
    let agencies = app.get_json(&format!("/api/v1/stats/agencies?{march}"), &staff).await;
    assert_eq!(agencies["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(agencies["rows"][0]["name"], "北仑区住房和城乡建设局");
    assert_eq!(agencies["rows"][0]["counts"]["solved_on_the_spot"], 61);
    let deputies = app.get_json(&format!("/api/v1/stats/deputies?{march}"), &staff).await;
    assert_eq!(deputies["rows"][0]["name"], "陈海波");
    assert_eq!(deputies["rows"][0]["counts"]["reported"], 117);
    let weeks = app
        .get_json(&format!("/api/v1/stats/trend?interval=week&{march}"), &staff)
        .await;
    assert_eq!(weeks["rows"][0]["key"], "2026-03-09");
    assert_eq!(weeks["rows"][0]["counts"]["reported"], 117);
    let regions = app.get_json(&format!("/api/v1/stats/regions?{march}"), &staff).await;
    let total: u64 = regions["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["counts"]["reported"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(total, 117, "{regions}");

    // A period that starts the next day holds none of them.
    let later = app
        .get_json("/api/v1/stats/overview?region=330206&from=2026-03-11", &staff)
        .await;
    assert_eq!(count(&later, "reported"), 0);
    assert_eq!(later["rates"]["reply"]["percent"], Value::Null);

    // Who reads what: the agency its own issues, the deputy theirs, others nothing of 北仑's.
    let handler_view = app.get_json("/api/v1/stats/overview", &handler).await;
    assert_eq!(count(&handler_view, "reported"), 117);
    let deputy_view = app.get_json("/api/v1/stats/overview", &deputy).await;
    assert_eq!(count(&deputy_view, "reported"), 117);
    for other in [WANG_DEPUTY, HOUSING_HANDLER, YUYAO_STAFF] {
        let token = app.sign_in(other, PASSWORD).await;
        let seen = app.get_json("/api/v1/stats/overview", &token).await;
        assert_eq!(count(&seen, "reported"), 0, "{other} sees none of 北仑's issues");
    }
    let yuyao = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    // A region outside one's reach, or none at all, is not found (one rule for every filter).
    let res = app.get(&format!("/api/v1/stats/agencies?{march}"), &yuyao).await;
    assert_eq!(assert_problem(res, 404, "not_found").await["field"], "region");
    let res = app.get("/api/v1/stats/overview?region=999999", &staff).await;
    assert_eq!(assert_problem(res, 404, "not_found").await["field"], "region");
    let res = app
        .get("/api/v1/stats/overview?from=2026-03-31&to=2026-03-01", &staff)
        .await;
    assert_eq!(assert_problem(res, 400, "invalid_query").await["field"], "to");
    let res = app.get("/api/v1/stats/tickets", &staff).await;
    assert_problem(res, 404, "not_found").await;
}

/// The public results: what was reported and how it was answered, never who reported it, their phone, the exact place
/// or what staff wrote among themselves; staff may withhold an issue and publish it again.
#[tokio::test]
async fn the_public_results_show_replies_and_leak_nothing() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let seed = app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let handler = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let resident = citizen(&app, &fake, &seed, "resident-public").await;
    let me = app.get_json("/api/v1/me", &resident).await;
    // Citizens read the public results, not the statistics.
    let res = app.get("/api/v1/stats/overview", &resident).await;
    assert_problem(res, 403, "forbidden").await;
    let deputy_me = app.get_json("/api/v1/me", &deputy).await;

    // Each reporter writes their own name and a phone into the text; the handler's reply repeats them.
    let secret_address = "凤山街道新建北路88弄7号楼东侧";
    let resident_name = me["name"].as_str().expect("name").to_owned();
    let walked = |who: &str| {
        json!({
            "description": format!("我是{who}，路灯坏了，请联系 139-0000-0011 或 13900000011。"),
            "title": "新建北路路灯不亮",
            "category_code": "streetlight",
            "location": {"latitude": 30.04371, "longitude": 121.15462, "address": secret_address},
        })
    };
    let mut public_ids = Vec::new();
    for (token, who) in [(&deputy, "王建国"), (&resident, resident_name.as_str())] {
        let issue = report(&app, token, &walked(who)).await;
        let id = issue["id"].as_str().expect("id").to_owned();
        command(&app, &staff, &id, "accept", &json!({})).await;
        command(
            &app,
            &staff,
            &id,
            "comments",
            &json!({"body": "内部意见：请优先处理，勿外传", "internal": true}),
        )
        .await;
        command(&app, &staff, &id, "route", &json!({})).await;
        command(&app, &handler, &id, "sign", &json!({})).await;
        let reply = json!({"category": "A", "reply": format!("已联系{who}（13900000011），路灯已更换。")});
        command(&app, &handler, &id, "reply", &reply).await;
        public_ids.push(id);
    }
    // The citizen's is rated and closed.
    command(
        &app,
        &resident,
        &public_ids[1],
        "ratings",
        &json!({"rating": "satisfied"}),
    )
    .await;
    // Declined, only routed, and withheld issues stay out.
    let declined = report(&app, &deputy, &walked("王建国")).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    command(&app, &staff, &declined, "decline", &json!({"reason": "重复反映"})).await;
    let routed = report(&app, &deputy, &walked("王建国")).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    command(&app, &staff, &routed, "accept", &json!({})).await;
    command(&app, &staff, &routed, "route", &json!({})).await;

    let list = app.call(Method::GET, "/api/v1/public/issues", None, None).await;
    assert_eq!(list.status(), 200);
    let list: Value = list.json().await.expect("json");
    let listed: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(listed, vec![public_ids[1].as_str(), public_ids[0].as_str()]);
    let closed = &list["items"][0];
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["rating"], "satisfied");
    assert_eq!(closed["place"]["name"], "凤山街道");
    assert_eq!(closed["agency"], "余姚市住房和城乡建设局");
    assert_eq!(closed["reply"]["category"], "A");
    let masked = "*".repeat(resident_name.chars().count());
    assert_eq!(
        closed["reply"]["text"],
        format!("已联系{masked}（139******11），路灯已更换。")
    );
    assert_eq!(
        closed["description"],
        format!("我是{masked}，路灯坏了，请联系 139-****-**11 或 139******11。")
    );
    assert_eq!(
        list["items"][1]["description"],
        "我是***，路灯坏了，请联系 139-****-**11 或 ***********。"
    );

    // Every public answer, searched for what must never be there.
    let mut bodies = vec![serde_json::to_string(&list).expect("text")];
    for id in public_ids.iter().chain([&declined, &routed]) {
        let res = app
            .call(Method::GET, &format!("/api/v1/public/issues/{id}"), None, None)
            .await;
        let status = res.status().as_u16();
        bodies.push(res.text().await.expect("body"));
        assert_eq!(status == 200, public_ids.contains(id), "{id}: {status}");
    }
    let filtered = app
        .call(
            Method::GET,
            "/api/v1/public/issues?region=330281&category=streetlight",
            None,
            None,
        )
        .await;
    bodies.push(filtered.text().await.expect("body"));
    let never = [
        "13900000011".to_owned(),
        "139-0000-0011".to_owned(),
        "王建国".to_owned(),
        resident_name.clone(),
        me["id"].as_str().expect("id").to_owned(),
        deputy_me["id"].as_str().expect("id").to_owned(),
        FakeWeChat::openid("resident-public"),
        secret_address.to_owned(),
        "30.0437".to_owned(),
        "121.1546".to_owned(),
        "内部意见".to_owned(),
        "reporter".to_owned(),
    ];
    for body in &bodies {
        for secret in &never {
            assert!(!body.contains(secret.as_str()), "{secret} leaked in {body}");
        }
    }

    // Withheld: gone from the list and the detail until published again; only staff of the region decide it.
    let id = &public_ids[1];
    let res = app
        .post(
            &format!("/api/v1/issues/{id}/withhold"),
            &handler,
            &json!({"reason": "涉及未成年人"}),
        )
        .await;
    assert_problem(res, 403, "forbidden").await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let res = app
        .post(
            &format!("/api/v1/issues/{id}/withhold"),
            &beilun,
            &json!({"reason": "涉及未成年人"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = app
        .post(&format!("/api/v1/issues/{id}/withhold"), &staff, &json!({"reason": ""}))
        .await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["field"], "reason");
    let issue = command(&app, &staff, id, "withhold", &json!({"reason": "涉及未成年人"})).await;
    assert_eq!(issue["withheld"], true);
    let res = app
        .call(Method::GET, &format!("/api/v1/public/issues/{id}"), None, None)
        .await;
    assert_problem(res, 404, "not_found").await;
    let again = app.call(Method::GET, "/api/v1/public/issues", None, None).await;
    let again: Value = again.json().await.expect("json");
    assert_eq!(again["items"].as_array().map(Vec::len), Some(1));
    // The reason is for those who work the issue: the citizen's timeline does not carry it.
    let timeline = app.get_json(&format!("/api/v1/issues/{id}/timeline"), &resident).await;
    assert!(!timeline.to_string().contains("涉及未成年人"), "{timeline}");
    command(&app, &staff, id, "publish", &json!({})).await;
    let res = app
        .call(Method::GET, &format!("/api/v1/public/issues/{id}"), None, None)
        .await;
    assert_eq!(res.status(), 200);
}

/// 民情专报 for 余姚 over a month: JSON, Markdown that reads as a document, CSV a spreadsheet opens; with the overdue
/// issue listed and hot spots for reception-day topics.
#[tokio::test]
async fn bulletins_come_out_in_three_formats() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let handler = app.sign_in(HOUSING_HANDLER, PASSWORD).await;

    app.state.clock.set(at("2026-11-02T09:00:00+08:00"));
    let mut numbers = Vec::new();
    let places = [
        (30.0451, 121.1521),
        (30.0452, 121.1522),
        (30.0453, 121.1523),
        (30.1201, 121.0101),
    ];
    for (n, (lat, lng)) in places.iter().enumerate() {
        let body = json!({
            "description": format!("第{n}盏路灯不亮，电话13812345678"),
            "title": format!("路灯{n}"),
            "category_code": "streetlight",
            "location": {"latitude": lat, "longitude": lng},
        });
        let issue = report(&app, &deputy, &body).await;
        numbers.push(issue["number"].as_str().expect("number").to_owned());
        let id = issue["id"].as_str().expect("id").to_owned();
        command(&app, &staff, &id, "accept", &json!({})).await;
        command(&app, &staff, &id, "route", &json!({})).await;
        if n < 3 {
            command(&app, &handler, &id, "sign", &json!({})).await;
            let reply = json!({"category": if n == 0 { "A" } else { "B" }, "reply": "已安排检修，联系人13812345678"});
            command(&app, &handler, &id, "reply", &reply).await;
        }
    }
    let noise = json!({"description": "夜间施工噪音扰民，影响休息", "category_code": "noise"});
    let declined = report(&app, &deputy, &noise).await;
    command(
        &app,
        &staff,
        declined["id"].as_str().expect("id"),
        "decline",
        &json!({"reason": "已由环保部门处理"}),
    )
    .await;
    // The fourth streetlight is never signed: by the 10th its sign deadline has long passed, and the worker says so.
    app.state.clock.set(at("2026-11-10T09:00:00+08:00"));
    supervise::rebuild(&app.state).await.expect("rebuilt");
    while supervise::tick(&app.state).await > 0 {}

    let month = "region=330281&from=2026-11-01&to=2026-11-30";
    let json_bulletin = app.get_json(&format!("/api/v1/bulletins?{month}"), &staff).await;
    assert_eq!(json_bulletin["title"], "余姚市民情专报（2026-11-01 至 2026-11-30）");
    assert_eq!(json_bulletin["figures"]["counts"]["reported"], 5);
    assert_eq!(json_bulletin["figures"]["counts"]["declined"], 1);
    assert_eq!(json_bulletin["figures"]["counts"]["overdue_now"], 1);
    assert_eq!(
        json_bulletin["figures"]["rates"]["on_time"],
        json!({"of": 3, "over": 4, "percent": 75.0})
    );
    let themes = json_bulletin["themes"].as_array().expect("themes");
    assert_eq!(themes.len(), 2);
    assert_eq!(themes[0]["category"]["code"], "streetlight");
    assert_eq!(themes[0]["figures"]["counts"]["reported"], 4);
    assert_eq!(themes[0]["representative"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        themes[0]["representative"][0]["reply"]["text"],
        "已安排检修，联系人138******78"
    );
    assert_eq!(themes[0]["places"][0]["name"], "凤山街道");
    let overdue = json_bulletin["overdue"].as_array().expect("overdue");
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["number"], numbers[3].as_str());
    assert!(overdue[0]["days_overdue"].as_i64().expect("days") >= 6);

    let res = app.get(&format!("/api/v1/bulletins?{month}&format=md"), &staff).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/markdown"));
    assert!(res.headers()["content-disposition"]
        .to_str()
        .expect("disposition")
        .contains("bulletin-330281-2026-11-01-2026-11-30.md"));
    let md = res.text().await.expect("markdown");
    assert!(md.starts_with("# 余姚市民情专报（2026-11-01 至 2026-11-30）\n"), "{md}");
    for part in [
        "## 一、总体情况",
        "本期共收集问题 5 件",
        "| 答复率 | 75.0%（3/4） |",
        "### 1. ",
        "代表性问题",
        "## 三、超期未办结问题",
        numbers[3].as_str(),
    ] {
        assert!(md.contains(part), "{part} missing from\n{md}");
    }
    assert!(!md.contains("13812345678"), "{md}");

    let res = app.get(&format!("/api/v1/bulletins?{month}&format=csv"), &staff).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/csv"));
    assert!(
        res.headers().get("content-length").is_none(),
        "the spreadsheet is sent as it is written, not built whole first"
    );
    let bytes = res.bytes().await.expect("csv");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark leads");
    let text = std::str::from_utf8(&bytes[3..]).expect("utf-8");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 6, "a header and five issues: {text}");
    assert!(lines[0].starts_with("编号,反映日期,主题,地点"));
    assert!(lines.iter().any(|l| l.starts_with(numbers[0].as_str())));
    assert!(!text.contains("13812345678"));
    // Status, reply and rating in the glossary's words, never the API's codes.
    for code in [
        "submitted",
        "accepted",
        "routed",
        "signed",
        "in_progress",
        "replied",
        "closed",
        "satisfied",
    ] {
        assert!(!text.contains(code), "{code} in\n{text}");
    }
    assert!(
        text.contains("待受理") || text.contains("已答复") || text.contains("已办结"),
        "{text}"
    );

    // Hot spots: three streetlights within a street's length share a cell; streetlights lead the categories.
    let spots = app
        .get_json(&format!("/api/v1/stats/hotspots?{month}&cell=500"), &staff)
        .await;
    assert_eq!(spots["categories"][0]["code"], "streetlight");
    assert_eq!(spots["categories"][0]["reported"], 4);
    assert_eq!(spots["cells"][0]["reported"], 3, "{spots}");
    assert_eq!(spots["cells"][0]["top_category"], "streetlight");
    assert_eq!(spots["places"][0]["name"], "凤山街道");
    let res = app.get(&format!("/api/v1/stats/hotspots?{month}&cell=5"), &staff).await;
    assert_eq!(assert_problem(res, 400, "invalid_query").await["field"], "cell");

    // Bulletins are staff's: not deputies', not another county's staff, not in a format that does not exist.
    let res = app.get(&format!("/api/v1/bulletins?{month}"), &deputy).await;
    assert_problem(res, 403, "forbidden").await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let res = app.get(&format!("/api/v1/bulletins?{month}"), &beilun).await;
    assert_eq!(
        assert_problem(res, 404, "not_found").await["field"],
        "region",
        "余姚 is outside 北仑's reach"
    );
    let res = app.get(&format!("/api/v1/bulletins?{month}&format=pdf"), &staff).await;
    assert_eq!(assert_problem(res, 400, "invalid_query").await["field"], "format");
}

/// 数智化主题接待: the 凤山 station's topics come from its area's issues, weighted by what is unresolved and what
/// reporters were dissatisfied with, each with its evidence.
#[tokio::test]
async fn a_stations_reception_topics_come_from_its_areas_issues_with_their_evidence() {
    let app = TestApp::spawn().await;
    let seed = app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let handler = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let station = seed
        .stations
        .iter()
        .find(|s| s.name == "凤山街道人大代表联络站")
        .expect("seeded")
        .id;
    app.state.clock.set(at("2026-11-02T09:00:00+08:00"));
    let mut ids = Vec::new();
    for (n, category) in ["garbage", "garbage", "garbage", "road_damage"].iter().enumerate() {
        let body = json!({
            "description": format!("第{n}处问题，请处理"),
            "title": format!("问题{n}"),
            "category_code": category,
            "station_id": station,
            "location": {"latitude": 30.0451, "longitude": 121.1521},
        });
        ids.push(
            report(&app, &deputy, &body).await["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    // The first was replied and closed, and its reporter was dissatisfied.
    crate::issues::sql(
        &app,
        &format!(
            "UPDATE issues SET status = 'closed', rating = 'dissatisfied' WHERE id = '{}'",
            ids[0]
        ),
    )
    .await;
    let path = format!("/api/v1/stations/{station}/topics?from=2026-11-01&to=2026-11-30");
    let topics = app.get_json(&path, &deputy).await;
    assert_eq!(topics["issues"], 4);
    let list = topics["topics"].as_array().expect("topics");
    // The place: 4 + 2×3 + 3×1 = 13; garbage: 3 + 2×2 + 3×1 = 10; road damage: 1 + 2×1 = 3.
    let scores: Vec<(&str, i64)> = list
        .iter()
        .map(|t| (t["kind"].as_str().expect("kind"), t["score"].as_i64().expect("score")))
        .collect();
    assert_eq!(scores, vec![("place", 13), ("category", 10), ("category", 3)]);
    assert_eq!(list[1]["code"], "garbage");
    assert_eq!(list[1]["dissatisfied"], 1);
    assert_eq!(list[1]["unresolved"], 2);
    assert_eq!(
        list[1]["examples"][0]["id"], ids[0],
        "the dissatisfied issue is the first example"
    );
    assert_eq!(list[1]["examples"].as_array().expect("examples").len(), 3);
    assert!(list[1]["name"].as_str().is_some_and(|n| !n.is_empty()));

    // Another county's staff do not see the station; handlers plan no reception days; limits are checked.
    assert_problem(app.get(&path, &beilun).await, 404, "not_found").await;
    assert_problem(app.get(&path, &handler).await, 403, "forbidden").await;
    let res = app.get(&format!("{path}&limit=0"), &deputy).await;
    assert_problem(res, 400, "invalid_query").await;
}

/// Rates over nothing (issue #35's fourth defect): a row of the breakdown with no reply behind it shows its on-time and
/// satisfaction rates as none, not 100 % and 0 %; an issue past its sign deadline counts against the on-time rate
/// before the worker has marked it; and a dissatisfied reporter's reopened issue waits for its new reply's rating
/// instead of counting its old one.
#[tokio::test]
async fn rates_have_a_base_behind_them_and_count_what_is_late_now() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    app.state.clock.set(at("2026-03-02T09:00:00+08:00"));

    // One issue replied on time, rated dissatisfied and so reopened (its agency let go of it).
    let reopened = super::supervision::routed_issue(&app, &deputy, &staff, "重办").await;
    command(&app, &housing, &reopened, "sign", &json!({})).await;
    command(
        &app,
        &housing,
        &reopened,
        "reply",
        &json!({"category": "A", "reply": "已修复。"}),
    )
    .await;
    let back = command(&app, &deputy, &reopened, "ratings", &json!({"rating": "dissatisfied"})).await;
    assert_eq!(back["status"], "reopened");
    assert!(
        back["rating"].is_null(),
        "the old rating left with the reply it rated: {back}"
    );
    // One routed and left unsigned past its one-working-day sign deadline; the worker has not run.
    let unsigned = super::supervision::routed_issue(&app, &deputy, &staff, "未签收").await;
    app.state.clock.set(at("2026-03-05T09:00:00+08:00"));

    let overview = app
        .get_json("/api/v1/stats/overview?from=2026-03-01&to=2026-03-31", &staff)
        .await;
    assert_eq!(count(&overview, "overdue_now"), 1, "{overview}");
    assert_eq!(
        overview["rates"]["on_time"],
        json!({"of": 0, "over": 1, "percent": 0.0}),
        "the unsigned issue is late now; the reopened one has no reply standing: {overview}"
    );
    assert_eq!(
        overview["rates"]["satisfaction"],
        json!({"of": 0, "over": 0, "percent": null}),
        "{overview}"
    );
    let agencies = app
        .get_json("/api/v1/stats/agencies?from=2026-03-01&to=2026-03-31", &staff)
        .await;
    let rows = agencies["rows"].as_array().expect("rows");
    let unassigned = rows.iter().find(|r| r["name"].is_null()).expect("a 未分配 row");
    assert_eq!(unassigned["counts"]["replied"], 0);
    assert!(unassigned["rates"]["on_time"]["percent"].is_null(), "{unassigned}");
    assert!(unassigned["rates"]["satisfaction"]["percent"].is_null(), "{unassigned}");
    let late = app.get_json(&format!("/api/v1/issues/{unsigned}"), &staff).await;
    assert_eq!(late["status"], "routed");
}
