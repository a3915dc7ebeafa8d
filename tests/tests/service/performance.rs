//! 记工分 and 三维联评 end to end: 王建国's year counted from what the platform recorded — issues he reported,
//! supervised to closure and converted, a citizen's rating of an issue reported to him, a ballot he took part in, an
//! inspection, a reception day — and what staff entered, under the seed's 3 aspects, 11 items, 100 points; then
//! under a county scheme of its own. His voters follow him, rate him and hear from him.

use crate::ballots::elect;
use crate::issues::{command, report, BEILUN_STAFF, HOUSING_HANDLER, LI_DEPUTY, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use crate::projects::county;
use crate::supervision::notifications;
use chrono::Datelike;
use minsheng_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

/// An item of a performance answer by its code.
fn item<'a>(performance: &'a Value, code: &str) -> &'a Value {
    performance["aspects"]
        .as_array()
        .expect("aspects")
        .iter()
        .flat_map(|a| a["items"].as_array().expect("items"))
        .find(|i| i["code"] == code)
        .expect("the item")
}

fn points(performance: &Value) -> Vec<(String, u64)> {
    performance["aspects"]
        .as_array()
        .expect("aspects")
        .iter()
        .flat_map(|a| a["items"].as_array().expect("items"))
        .filter(|i| i["points"].as_u64().unwrap_or(0) > 0)
        .map(|i| {
            (
                i["code"].as_str().unwrap_or_default().to_owned(),
                i["points"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.call(Method::PUT, path, Some(token), Some(body)).await
}

#[tokio::test]
async fn a_deputys_points_come_from_recorded_activity_under_the_seeds_scheme() {
    let (app, fake, seed) = county().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let fengshan_staff = app.sign_in("13900000002", PASSWORD).await;
    let beilun_staff = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let wang = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let li = app.sign_in(LI_DEPUTY, PASSWORD).await;
    let wang_id = app.get_json("/api/v1/me", &wang).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let year = app
        .state
        .clock
        .now()
        .with_timezone(&crate::ballots::domain_shanghai())
        .year();
    let performance = format!("/api/v1/deputies/{wang_id}/performance?year={year}");

    // Nothing recorded yet: every item at 0 of the seed's 100.
    let empty = app.get_json(&performance, &wang).await;
    assert_eq!(empty["total"], 0);
    assert_eq!(empty["max"], 100);
    assert_eq!(empty["scheme_region"], Value::Null);
    assert_eq!(empty["aspects"].as_array().expect("aspects").len(), 3);
    let items: usize = empty["aspects"]
        .as_array()
        .expect("aspects")
        .iter()
        .map(|a| a["items"].as_array().expect("items").len())
        .sum();
    assert_eq!(items, 11);

    // He reports three issues (C1); urges the first, which closes satisfied (C2); converts the second (A3).
    let mut reported = Vec::new();
    for what in ["路灯不亮", "井盖缺失", "人行道破损"] {
        let issue = report(
            &app,
            &wang,
            &json!({"description": format!("{what}，影响群众出行。"), "category_code": "streetlight"}),
        )
        .await;
        reported.push(issue["id"].as_str().expect("id").to_owned());
    }
    let first = &reported[0];
    command(&app, &staff, first, "accept", &json!({})).await;
    command(&app, &staff, first, "route", &json!({})).await;
    command(&app, &wang, first, "urge", &json!({"note": "请尽快处理"})).await;
    command(&app, &housing, first, "sign", &json!({})).await;
    command(
        &app,
        &housing,
        first,
        "reply",
        &json!({"category": "A", "reply": "已修复。"}),
    )
    .await;
    let closed = command(&app, &wang, first, "ratings", &json!({"rating": "satisfied"})).await;
    assert_eq!(closed["status"], "closed");
    command(&app, &staff, &reported[1], "accept", &json!({})).await;
    command(&app, &wang, &reported[1], "convert", &json!({"note": "转为代表建议"})).await;

    // A citizen scans his card, follows him and reports to him; the issue is first in his inbox; rated satisfied (C4).
    let res = app
        .call(
            Method::GET,
            &format!("/api/v1/deputies/{wang_id}/qrcode"),
            Some(&wang),
            None,
        )
        .await;
    let scene = res.headers()["x-minsheng-scene"].to_str().expect("ascii").to_owned();
    let citizen = app.wechat_sign_in_at(&fake, "voter-of-wang", &scene).await;
    let neighbour = app.wechat_sign_in(&fake, "not-a-voter").await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let follow = format!("/api/v1/me/deputies/{wang_id}");
    assert_eq!(put(&app, &follow, &citizen, &json!({})).await.status(), 200);
    assert_eq!(
        put(&app, &follow, &citizen, &json!({})).await.status(),
        200,
        "following again changes nothing"
    );
    assert_problem(put(&app, &follow, &staff, &json!({})).await, 403, "forbidden").await;
    let followed = app.get_json("/api/v1/me/deputies", &citizen).await;
    assert_eq!(followed[0]["name"], "王建国");
    let theirs = report(
        &app,
        &citizen,
        &json!({"description": "小区门口垃圾堆积无人清运。", "category_code": "streetlight"}),
    )
    .await;
    let theirs = theirs["id"].as_str().expect("id").to_owned();
    let inbox = app.get_json("/api/v1/inbox", &wang).await;
    assert_eq!(inbox["sections"][0]["reason"], "from_voters");
    assert_eq!(inbox["sections"][0]["items"][0]["id"], theirs);
    command(&app, &staff, &theirs, "accept", &json!({})).await;
    command(&app, &staff, &theirs, "route", &json!({})).await;
    command(&app, &housing, &theirs, "sign", &json!({})).await;
    command(
        &app,
        &housing,
        &theirs,
        "reply",
        &json!({"category": "A", "reply": "已清运。"}),
    )
    .await;
    command(&app, &citizen, &theirs, "ratings", &json!({"rating": "satisfied"})).await;

    // He takes part in a ballot (A2) and inspects the project it elected (A4).
    let agency = seed.agency("余姚市住房和城乡建设局").expect("seeded").to_string();
    let (_, project) = elect(
        &app,
        &staff,
        &[(wang_id.clone(), wang.clone())],
        &json!([
            {"title": "老旧小区加装电梯", "summary": "年内加装50台。", "agency_id": agency, "budget_yuan": 30_000_000},
            {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": agency, "budget_yuan": 8_000_000},
        ]),
    )
    .await;
    let res = app
        .post(
            &format!("/api/v1/projects/{project}/inspections"),
            &wang,
            &json!({"note": "查看施工进度。"}),
        )
        .await;
    assert_eq!(res.status(), 201);

    // Staff record a reception day at 凤山 he held (C3); a deputy who does not serve there is refused.
    let fengshan = seed.station("凤山街道人大代表联络站").expect("seeded").to_string();
    let li_id = app.get_json("/api/v1/me", &li).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let day =
        json!({"held_on": format!("{year}-03-06"), "deputy_ids": [wang_id], "topics": "加装电梯", "visitors": 12});
    let receptions = format!("/api/v1/stations/{fengshan}/receptions");
    assert_eq!(app.post(&receptions, &fengshan_staff, &day).await.status(), 200);
    assert_eq!(
        app.post(&receptions, &staff, &day).await.status(),
        200,
        "the same day again is a correction"
    );
    let stranger = json!({"held_on": format!("{year}-03-07"), "deputy_ids": [li_id], "topics": "x", "visitors": 1});
    let problem = assert_problem(app.post(&receptions, &staff, &stranger).await, 422, "validation_failed").await;
    assert_eq!(problem["field"], "deputy_ids[0]");
    assert_eq!(
        app.get_json(&receptions, &wang).await.as_array().expect("days").len(),
        1
    );

    // Staff enter what happened offline, each with its source; an item gives no more than its most.
    let entries = format!("/api/v1/deputies/{wang_id}/performance/entries");
    for (code, points, source) in [
        ("A1", 10, "人代会签到表"),
        ("B1", 8, "单位述职评议"),
        ("B1", 5, "年度先进个人"),
    ] {
        let res = app
            .post(
                &entries,
                &staff,
                &json!({"item": code, "points": points, "source": source, "occurred_on": format!("{year}-02-20")}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let entry = json!({"item": "A1", "points": 10, "source": "x", "occurred_on": format!("{year}-02-20")});
    assert_problem(app.post(&entries, &wang, &entry).await, 403, "forbidden").await;
    assert_problem(app.post(&entries, &beilun_staff, &entry).await, 404, "not_found").await;
    let unknown = json!({"item": "Z9", "points": 1, "source": "x", "occurred_on": format!("{year}-02-20")});
    let problem = assert_problem(app.post(&entries, &staff, &unknown).await, 422, "validation_failed").await;
    assert_eq!(problem["field"], "item");

    // The year, counted: 3 + 2 + 2 + 1 + 5 + 2 + 2 + 10 + 10.
    let counted = app.get_json(&performance, &wang).await;
    assert_eq!(
        points(&counted),
        [
            ("A1".to_owned(), 10),
            ("A2".to_owned(), 5),
            ("A3".to_owned(), 2),
            ("A4".to_owned(), 2),
            ("B1".to_owned(), 10),
            ("C1".to_owned(), 3),
            ("C2".to_owned(), 2),
            ("C3".to_owned(), 2),
            ("C4".to_owned(), 1),
        ]
    );
    assert_eq!(counted["total"], 37);
    let c1 = item(&counted, "C1");
    assert_eq!(c1["counted"], 3);
    let mut behind: Vec<String> = c1["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["record_id"].as_str().unwrap_or_default().to_owned())
        .collect();
    behind.sort();
    let mut expected = reported.clone();
    expected.sort();
    assert_eq!(behind, expected, "the issues behind the item");
    assert_eq!(item(&counted, "C2")["records"][0]["record_id"], first.as_str());
    assert_eq!(item(&counted, "C4")["records"].as_array().map(Vec::len), Some(1));
    let b1 = item(&counted, "B1");
    assert_eq!((b1["entered"].as_i64(), b1["points"].as_u64()), (Some(13), Some(10)));
    assert_eq!(b1["records"][1]["label"], "年度先进个人");
    assert_eq!(app.get_json(&performance, &staff).await["total"], 37);

    // Nobody else reads it.
    for token in [&beilun_staff, &li, &citizen, &housing] {
        assert_problem(
            app.call(Method::GET, &performance, Some(token), None).await,
            404,
            "not_found",
        )
        .await;
    }

    // 三维联评: his self-review, his voter's stars, the group's assessment, weighed 20/40/40.
    let review = |score: i64| json!({"year": year, "score": score, "comment": "全年履职情况"});
    let half = put(
        &app,
        &format!("/api/v1/deputies/{wang_id}/performance/self-review"),
        &wang,
        &review(90),
    )
    .await;
    let half: Value = half.json().await.expect("json");
    assert_eq!(half["self_review"], 90);
    assert_eq!(half["combined"], Value::Null, "not until all three are in");
    assert_problem(
        put(
            &app,
            &format!("/api/v1/deputies/{wang_id}/performance/self-review"),
            &staff,
            &review(90),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let rating = format!("/api/v1/deputies/{wang_id}/performance/voter-rating?year={year}");
    // A voter rates once they have followed the deputy for 30 days (MINSHENG_VOTER_RATING_MIN_FOLLOW_DAYS).
    assert_problem(
        put(&app, &rating, &citizen, &json!({"stars": 5})).await,
        403,
        "forbidden",
    )
    .await;
    app.state.clock.advance(chrono::Duration::days(31));
    assert_eq!(put(&app, &rating, &citizen, &json!({"stars": 5})).await.status(), 204);
    assert_problem(
        put(&app, &rating, &neighbour, &json!({"stars": 1})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        put(
            &app,
            &format!("/api/v1/deputies/{wang_id}/performance/group-assessment"),
            &wang,
            &review(100),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let full: Value = put(
        &app,
        &format!("/api/v1/deputies/{wang_id}/performance/group-assessment"),
        &staff,
        &review(80),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(full["voters"], 100.0);
    assert_eq!(full["combined"], 90.0);

    // The year's ranking: he leads the county; handlers do not rank deputies.
    let ranking = app
        .get_json(&format!("/api/v1/performance/ranking?year={year}"), &staff)
        .await;
    assert_eq!(ranking[0]["deputy_id"], wang_id);
    assert_eq!(ranking[0]["total"], 37);
    assert_eq!(ranking[0]["combined"], 90.0);
    assert!(ranking
        .as_array()
        .expect("rows")
        .iter()
        .skip(1)
        .all(|r| r["total"] == 0));
    assert!(ranking
        .as_array()
        .expect("rows")
        .iter()
        .all(|r| r["region_code"] != "330206"));
    assert_problem(
        app.call(Method::GET, "/api/v1/performance/ranking", Some(&housing), None)
            .await,
        403,
        "forbidden",
    )
    .await;
    // A deputy reads their own place among their region's deputies, and nobody else's points (issue #35's ninth
    // defect: the console's 履职积分 tab asked and got a 403).
    let own = app
        .get_json(&format!("/api/v1/performance/ranking?year={year}"), &wang)
        .await;
    let own = own.as_array().expect("rows");
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0]["deputy_id"], wang_id);
    assert_eq!(own[0]["rank"], 1);
    assert_eq!(own[0]["total"], 37);
    let p = assert_problem(
        app.call(
            Method::GET,
            "/api/v1/performance/ranking?region=330281",
            Some(&wang),
            None,
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(p["field"], "region");

    // The county sets a scheme of its own: each report now earns 2; it must add up to 100.
    let scheme_path = "/api/v1/regions/330281/performance-scheme";
    let mut scheme = app.get_json(scheme_path, &wang).await["scheme"].clone();
    scheme["aspects"][2]["items"][0]["points_each"] = json!(2);
    assert_problem(put(&app, scheme_path, &fengshan_staff, &scheme).await, 404, "not_found").await;
    assert_eq!(put(&app, scheme_path, &staff, &scheme).await.status(), 200);
    let recounted = app.get_json(&performance, &wang).await;
    assert_eq!(recounted["scheme_region"], "330281");
    assert_eq!(recounted["total"], 40);
    scheme["aspects"][2]["items"][0]["max"] = json!(9);
    let problem = assert_problem(put(&app, scheme_path, &staff, &scheme).await, 422, "validation_failed").await;
    assert_eq!(problem["field"], "aspects");

    // He writes to his voters through notifications; another deputy may not.
    let message = json!({"title": "本周五选民接待日", "body": "欢迎到凤山街道联络站反映问题。"});
    let sent: Value = app
        .post(&format!("/api/v1/deputies/{wang_id}/voters/messages"), &wang, &message)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(sent["sent"], 1);
    assert!(notifications(&app, &citizen)
        .await
        .iter()
        .any(|n| n["kind"] == "deputy_message" && n["title"] == "本周五选民接待日"));
    assert!(!notifications(&app, &neighbour)
        .await
        .iter()
        .any(|n| n["kind"] == "deputy_message"));
    assert_problem(
        app.post(&format!("/api/v1/deputies/{wang_id}/voters/messages"), &li, &message)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.get_json(&format!("/api/v1/deputies/{wang_id}/voters"), &wang).await["count"],
        1
    );
}
