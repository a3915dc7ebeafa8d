//! 码上监督 end to end: two elected livelihood projects of 余姚 reported on by their agencies (with photos, one
//! completing a milestone), inspected by a deputy, ranked by progress (动态排序), drawn as a QR code that leads to
//! the public page, and commented on and rated by citizens (星级评价); everyone outside gets 403 or 404.

use crate::ballots::{agency_id, deputies, domain_shanghai, elect};
use crate::issues::{
    jpeg_with_exif, sql, upload, BEILUN_HANDLER, BEILUN_STAFF, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, WATER_HANDLER,
    YUYAO_STAFF,
};
use chrono::Duration;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use minsheng_tests::wechat::{FakeWeChat, REVIEW_WORD, RISKY_WORD};
use minsheng_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const BEILUN_DEPUTY: &str = "13900000014";

/// A service with the fake WeChat, whose sign-in limits let a roster sign in from one address.
pub(crate) async fn county() -> (TestApp, FakeWeChat, minsheng_api::seed::SeedReport) {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |env| {
        env.insert("MINSHENG_SIGNIN_LIMIT_PER_IP".into(), "1000000".into());
    })
    .await;
    let seed = app.seed_demo().await;
    (app, fake, seed)
}

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|p| p["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    app.call(Method::GET, path, token, None).await
}

#[derive(QueryableByName)]
struct Open {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[tokio::test]
async fn elected_projects_are_reported_on_inspected_ranked_and_rated_in_public() {
    let (app, fake, _seed) = county().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun_staff = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    let beilun_handler = app.sign_in(BEILUN_HANDLER, PASSWORD).await;
    let wang = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let beilun_deputy = app.sign_in(BEILUN_DEPUTY, PASSWORD).await;
    let housing_agency = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let water_agency = agency_id(&app, &staff, "余姚市水利局").await;
    let roster = deputies(&app, 2).await;
    let today = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();

    // Two ballots elect one project each: the lifts (two milestones) and the water mains (one, due sooner).
    let (_, lifts) = elect(
        &app,
        &staff,
        &roster,
        &json!([
            {"title": "老旧小区加装电梯", "summary": "年内加装50台。", "agency_id": housing_agency, "budget_yuan": 30_000_000,
             "milestones": [{"title": "完成施工招标", "planned_on": today + Duration::days(10)},
                            {"title": "首批20台投用", "planned_on": today + Duration::days(40)}]},
            {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": housing_agency, "budget_yuan": 8_000_000},
        ]),
    )
    .await;
    let (mains_ballot, mains) = elect(
        &app,
        &staff,
        &roster,
        &json!([
            {"title": "农村供水管网改造", "summary": "改造管网80公里。", "agency_id": water_agency, "budget_yuan": 50_000_000,
             "milestones": [{"title": "完成管材采购", "planned_on": today + Duration::days(5)}]},
            {"title": "河道清淤", "summary": "清淤30公里。", "agency_id": water_agency, "budget_yuan": 6_000_000},
        ]),
    )
    .await;
    let ballot = app.get_json(&format!("/api/v1/ballots/{mains_ballot}"), &staff).await;
    let not_elected = ballot["candidates"][1]["id"].as_str().expect("id").to_owned();

    let page = app.get_json(&format!("/api/v1/projects/{lifts}"), &staff).await;
    let first = page["milestones"][0]["id"].as_str().expect("id").to_owned();
    let second = page["milestones"][1]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        page["progress"],
        json!({"milestones": 2, "done": 0, "overdue": 0, "percent": null})
    );
    assert_eq!(page["agency_name"], "余姚市住房和城乡建设局");

    // The agency reports progress with a photo; nobody else may.
    let photo: Value = upload(&app, &housing, &jpeg_with_exif(), "site.jpg")
        .await
        .json()
        .await
        .expect("json");
    let photo_id = photo["id"].as_str().expect("id").to_owned();
    let res = app
        .post(
            &format!("/api/v1/projects/{lifts}/progress"),
            &housing,
            &json!({"note": "完成12个小区的设计。", "percent": 30, "photo_ids": [photo_id]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let report: Value = res.json().await.expect("json");
    assert_eq!(report["photo_ids"], json!([photo_id]));
    assert_eq!(report["kind"], "progress");
    let progress = format!("/api/v1/projects/{lifts}/progress");
    let note = json!({"note": "代报进度"});
    assert_problem(app.post(&progress, &water, &note).await, 404, "not_found").await;
    assert_problem(app.post(&progress, &beilun_handler, &note).await, 404, "not_found").await;
    assert_problem(app.post(&progress, &wang, &note).await, 403, "forbidden").await;
    assert_problem(
        app.post(&progress, &housing, &json!({"note": "x", "percent": 101}))
            .await,
        422,
        "validation_failed",
    )
    .await;

    // A deputy of the county inspects; the agency may not, another county's deputy and staff do not see it.
    let inspections = format!("/api/v1/projects/{lifts}/inspections");
    let visit = json!({"note": "实地查看3个小区，施工围挡规范。"});
    assert_eq!(app.post(&inspections, &wang, &visit).await.status(), 201);
    // A photo serves one thing: the one an inspection used cannot go with an issue too.
    let snap: Value = upload(&app, &wang, &jpeg_with_exif(), "visit.jpg")
        .await
        .json()
        .await
        .expect("json");
    let snap = snap["id"].as_str().expect("id").to_owned();
    let with_photo = json!({"note": "围挡外侧有积水。", "photo_ids": [snap]});
    let mains_inspections = format!("/api/v1/projects/{mains}/inspections");
    assert_eq!(app.post(&mains_inspections, &wang, &with_photo).await.status(), 201);
    let res = app
        .post(
            "/api/v1/issues",
            &wang,
            &json!({"description": "工地外积水。", "category_code": "road_damage", "photo_ids": [snap]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["field"], "photo_ids[0]");
    assert_problem(app.post(&inspections, &housing, &visit).await, 403, "forbidden").await;
    assert_problem(app.post(&inspections, &beilun_deputy, &visit).await, 404, "not_found").await;
    assert_problem(
        get(&app, &format!("/api/v1/projects/{lifts}"), Some(&beilun_staff)).await,
        404,
        "not_found",
    )
    .await;

    // A report completes the first milestone: its deadline takes no more steps; twice is a conflict.
    let done = json!({"note": "施工招标完成。", "percent": 50, "milestone_id": first});
    assert_eq!(app.post(&progress, &housing, &done).await.status(), 201);
    assert_problem(app.post(&progress, &housing, &done).await, 409, "conflict").await;
    let foreign = json!({"note": "x", "milestone_id": uuid::Uuid::now_v7()});
    let problem = assert_problem(app.post(&progress, &housing, &foreign).await, 422, "validation_failed").await;
    assert_eq!(problem["field"], "milestone_id");
    let url = app.env.get("DATABASE_URL").expect("a database URL");
    let mut conn = AsyncPgConnection::establish(url).await.expect("connects");
    let open: Vec<Open> = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM deadlines d JOIN milestones m ON m.id = d.milestone_id
          WHERE m.id = '{first}' AND m.done_at IS NOT NULL
            AND d.stage = 'milestone' AND d.outcome = 'met' AND d.ended_at IS NOT NULL AND d.next_at IS NULL"
    ))
    .load(&mut conn)
    .await
    .expect("counts");
    assert_eq!(
        open[0].n, 1,
        "done: its deadline, in the one deadline table, ended met with nothing scheduled"
    );

    // 动态排序: half the lifts' milestones are done; the water mains' only one falls overdue.
    app.state.clock.advance(Duration::days(6));
    let ranking = app.get_json("/api/v1/projects", &staff).await;
    assert_eq!(titles(&ranking), ["老旧小区加装电梯", "农村供水管网改造"]);
    assert_eq!(ranking[0]["rank"], 1);
    assert_eq!(
        ranking[0]["progress"],
        json!({"milestones": 2, "done": 1, "overdue": 0, "percent": 50})
    );
    assert_eq!(ranking[1]["progress"]["overdue"], 1);
    assert_eq!(ranking[1]["warning"], "red");
    assert_eq!(
        titles(&app.get_json("/api/v1/projects", &housing).await),
        ["老旧小区加装电梯"]
    );
    assert_eq!(
        titles(&app.get_json("/api/v1/projects", &water).await),
        ["农村供水管网改造"]
    );
    assert_eq!(titles(&app.get_json("/api/v1/projects", &wang).await).len(), 2);
    assert_eq!(titles(&app.get_json("/api/v1/projects", &beilun_staff).await).len(), 0);
    assert_eq!(titles(&app.get_json("/api/v1/projects", &beilun_deputy).await).len(), 0);

    // The QR code leads to the project's page; scanning it does not change where the citizen's reports go.
    let res = get(&app, &format!("/api/v1/projects/{lifts}/qrcode"), Some(&housing)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let scene = res.headers()["x-minsheng-scene"].to_str().expect("ascii").to_owned();
    assert_problem(
        get(&app, &format!("/api/v1/projects/{lifts}/qrcode"), Some(&wang)).await,
        403,
        "forbidden",
    )
    .await;
    let scanned: Value = get(&app, &format!("/api/v1/scenes/{scene}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(scanned["kind"], "project");
    assert_eq!(scanned["project"]["id"], lifts);
    let citizen = app.wechat_sign_in_at(&fake, "citizen-on-site", &scene).await;
    assert_eq!(app.get_json("/api/v1/me", &citizen).await["scene"], Value::Null);
    let neighbour = app.wechat_sign_in(&fake, "citizen-next-door").await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();

    // 星级评价: citizens comment and rate; a rating again replaces the earlier one; staff do not rate.
    let res = app
        .post(
            &format!("/api/v1/projects/{lifts}/comments"),
            &citizen,
            &json!({"body": "电梯装得快，点赞！"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let comments = format!("/api/v1/projects/{lifts}/comments");
    let risky = json!({"body": format!("施工队{RISKY_WORD}")});
    let problem = assert_problem(app.post(&comments, &citizen, &risky).await, 422, "content_risky").await;
    assert_eq!(problem["field"], "body");
    let unsure = json!({"body": format!("工期{REVIEW_WORD}")});
    let held: Value = app
        .post(&comments, &neighbour, &unsure)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(held["held_for_review"], true);
    let export = app.get_json("/api/v1/me/export", &neighbour).await;
    assert_eq!(
        export["project_comments"][0]["held_for_review"], true,
        "the author's export has it"
    );
    let rate = |token: String, stars: i64| {
        let app = &app;
        let lifts = lifts.clone();
        async move {
            app.call(
                Method::PUT,
                &format!("/api/v1/projects/{lifts}/rating"),
                Some(&token),
                Some(&json!({"stars": stars})),
            )
            .await
        }
    };
    let stars: Value = rate(citizen.clone(), 4).await.json().await.expect("json");
    assert_eq!(stars, json!({"ratings": 1, "average": 4.0}));
    // Stars come from people who scanned the code at the site: the neighbour, who only has the project's id, may
    // comment but not rate until they scan it.
    assert_problem(rate(neighbour.clone(), 2).await, 403, "forbidden").await;
    let neighbour = app.wechat_sign_in_at(&fake, "citizen-next-door", &scene).await;
    assert_eq!(rate(neighbour.clone(), 2).await.status(), 200);
    let stars: Value = rate(citizen.clone(), 5).await.json().await.expect("json");
    assert_eq!(stars, json!({"ratings": 2, "average": 3.5}));
    let problem = assert_problem(rate(citizen.clone(), 6).await, 422, "validation_failed").await;
    assert_eq!(problem["field"], "stars");
    assert_problem(rate(staff.clone(), 5).await, 403, "forbidden").await;
    assert_problem(
        app.post(
            &format!("/api/v1/projects/{lifts}/comments"),
            &wang,
            &json!({"body": "代表留言"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(get(&app, "/api/v1/projects", Some(&citizen)).await, 403, "forbidden").await;

    // The public page, without signing in: the agency speaks for its handlers, the deputy by name, photos open.
    let public: Value = get(&app, "/api/v1/public/projects", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(titles(&public), ["老旧小区加装电梯", "农村供水管网改造"]);
    let page: Value = get(&app, &format!("/api/v1/public/projects/{lifts}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["stars"]["average"], 3.5);
    assert!(page["milestones"][0]["done_at"].is_string());
    assert_eq!(page["milestones"][1]["warning"], "green");
    let reports = page["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0]["milestone_id"], first);
    assert_eq!(reports[1]["kind"], "inspection");
    assert_eq!(reports[1]["author_name"], "王建国");
    assert_eq!(reports[2]["author_name"], "余姚市住房和城乡建设局");
    assert_eq!(reports[2]["author_id"], Value::Null);
    assert_eq!(
        page["comments"].as_array().map(Vec::len),
        Some(1),
        "the held comment waits"
    );
    assert_eq!(page["comments"][0]["body"], "电梯装得快，点赞！");
    assert!(page["comments"][0]["author"].as_str().expect("masked").ends_with('*'));
    let res = get(
        &app,
        &format!("/api/v1/public/projects/{lifts}/photos/{photo_id}"),
        None,
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_problem(
        get(
            &app,
            &format!("/api/v1/public/projects/{mains}/photos/{photo_id}"),
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        get(&app, &format!("/api/v1/photos/{photo_id}"), Some(&citizen))
            .await
            .status(),
        200,
        "a project's photo is public"
    );
    assert_problem(
        get(&app, &format!("/api/v1/public/projects/{not_elected}"), None).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        sql(
            &app,
            &format!("UPDATE milestones SET title = title WHERE id = '{second}' AND done_at IS NULL")
        )
        .await,
        1,
        "the second milestone is still open"
    );
}

#[tokio::test]
async fn the_responsible_agency_answers_a_citizens_comment_in_public_and_the_citizen_is_told() {
    let (app, fake, _seed) = county().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    let wang = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing_agency = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let roster = deputies(&app, 1).await;
    let (_, lifts) = elect(
        &app,
        &staff,
        &roster,
        &json!([
            {"title": "老旧小区加装电梯", "summary": "年内加装50台。", "agency_id": housing_agency, "budget_yuan": 30_000_000},
            {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": housing_agency, "budget_yuan": 8_000_000},
        ]),
    )
    .await;
    let citizen = app.wechat_sign_in(&fake, "asks-about-the-lift").await["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let res = app
        .post(
            &format!("/api/v1/projects/{lifts}/comments"),
            &citizen,
            &json!({"body": "我家小区什么时候装？"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let comment: Value = res.json().await.expect("json");
    let id = comment["id"].as_str().expect("an id");
    let path = format!("/api/v1/projects/{lifts}/comments/{id}/answer");
    let answer = json!({"answer": "已安排施工队下周进场，预计月底完工。"});

    // Only the responsible agency answers: another agency finds no project, staff, a deputy and the citizen may not.
    assert_problem(app.post(&path, &water, &answer).await, 404, "not_found").await;
    assert_problem(app.post(&path, &staff, &answer).await, 403, "forbidden").await;
    assert_problem(app.post(&path, &wang, &answer).await, 403, "forbidden").await;
    assert_problem(app.post(&path, &citizen, &answer).await, 403, "forbidden").await;
    let problem = assert_problem(
        app.post(&path, &housing, &json!({"answer": " "})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "answer");
    let unknown = format!("/api/v1/projects/{lifts}/comments/{}/answer", uuid::Uuid::now_v7());
    assert_problem(app.post(&unknown, &housing, &answer).await, 404, "not_found").await;

    let res = app.post(&path, &housing, &answer).await;
    assert_eq!(res.status(), 200);
    let answered: Value = res.json().await.expect("json");
    assert_eq!(answered["answer"], "已安排施工队下周进场，预计月底完工。");
    let page = app.public_json(&format!("/api/v1/public/projects/{lifts}")).await;
    assert_eq!(page["comments"][0]["answer"], "已安排施工队下周进场，预计月底完工。");
    assert!(page["comments"][0]["answered_at"].is_string());
    let told = app.get_json("/api/v1/notifications", &citizen).await;
    assert!(
        told["items"]
            .as_array()
            .expect("notifications")
            .iter()
            .any(|n| n["kind"] == "comment_answered" && n["body"].as_str().is_some_and(|b| b.contains("月底完工"))),
        "the citizen is told: {told}"
    );
}
