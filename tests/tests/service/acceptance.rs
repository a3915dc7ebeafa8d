//! 验单 end to end: the agencies declare two elected projects complete (not while a milestone is open), staff return
//! one with what is missing and then accept both; the deputies rate them in a secret satisfaction evaluation (the
//! ballot's own check-in and anonymous papers); one falls below the share and goes to 整改 with a deadline on the
//! board, is rectified, accepted again and passes a second evaluation; the public pages tell the whole story.

use crate::ballots::{agency_id, cast, deputies, domain_shanghai, elect, Voter};
use crate::issues::{HOUSING_HANDLER, PASSWORD, WATER_HANDLER, YUYAO_STAFF};
use crate::projects::county;
use crate::supervision::notifications;
use blind_rsa_signatures::PublicKey;
use chrono::Duration;
use minsheng_tests::{assert_problem, TestApp};
use serde_json::{json, Value};

/// Declares `project` complete after completing each open milestone with a progress report.
pub(crate) async fn deliver(app: &TestApp, handler: &str, project: &str) {
    let page = app.get_json(&format!("/api/v1/projects/{project}"), handler).await;
    for m in page["milestones"].as_array().expect("milestones") {
        if m["done_at"].is_null() {
            let body = json!({"note": "节点完成", "milestone_id": m["id"]});
            let res = app
                .post(&format!("/api/v1/projects/{project}/progress"), handler, &body)
                .await;
            assert_eq!(res.status(), 201);
        }
    }
    let res = app
        .post(
            &format!("/api/v1/projects/{project}/completion"),
            handler,
            &json!({"summary": "全部完成"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["delivery"], "completed");
}

pub(crate) async fn accept(app: &TestApp, staff: &str, project: &str) {
    let res = app
        .post(
            &format!("/api/v1/projects/{project}/acceptance"),
            staff,
            &json!({"accepted": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["delivery"], "accepted");
}

/// Opens an evaluation of `projects`, lets each deputy check in and cast their marks, closes it: its results.
pub(crate) async fn evaluate(
    app: &TestApp,
    staff: &str,
    roster: &[(String, String)],
    projects: &[&str],
    papers: &[Vec<(&str, &str)>],
) -> Value {
    let now = app.state.clock.now();
    let body = json!({
        "region_code": "330281",
        "title": "2026年民生实事项目满意度测评",
        "session": "第十七届人民代表大会第七次会议",
        "project_ids": projects,
        "pass_share": "2/3",
        "rectify_days": 30,
        "opens_at": now - Duration::minutes(1),
        "closes_at": now + Duration::days(1),
        "roster": roster.iter().map(|(id, _)| id).collect::<Vec<_>>(),
    });
    let res = app.post("/api/v1/evaluations", staff, &body).await;
    assert_eq!(res.status(), 201);
    let ballot: Value = res.json().await.expect("json");
    assert_eq!(ballot["kind"], "evaluation");
    assert_eq!(ballot["evaluated"].as_array().map(Vec::len), Some(projects.len()));
    let id = ballot["id"].as_str().expect("id").to_owned();
    let key = PublicKey::from_pem(ballot["public_key"].as_str().expect("pem")).expect("a public key");
    for ((_, token), marks) in roster.iter().zip(papers) {
        let voter = Voter::new(&key);
        let answer: Value = app
            .post(&format!("/api/v1/ballots/{id}/check-in"), token, &voter.check_in_body())
            .await
            .json()
            .await
            .expect("json");
        let mut paper = voter.paper(&key, &answer, &[]);
        paper["marks"] = json!(marks
            .iter()
            .map(|(p, m)| json!({"project_id": p, "mark": m}))
            .collect::<Vec<_>>());
        assert_eq!(cast(app, &id, &paper).await.status(), 201);
    }
    let res = app
        .post(&format!("/api/v1/ballots/{id}/close"), staff, &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    app.public_json(&format!("/api/v1/ballots/{id}/results")).await
}

#[tokio::test]
async fn projects_are_completed_accepted_evaluated_in_secret_and_one_is_rectified_and_evaluated_again() {
    let (app, _fake, _seed) = county().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    let housing_agency = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let water_agency = agency_id(&app, &staff, "余姚市水利局").await;
    let roster = deputies(&app, 3).await;
    let today = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    let (_, lifts) = elect(
        &app,
        &staff,
        &roster,
        &json!([
            {"title": "老旧小区加装电梯", "summary": "年内加装50台。", "agency_id": housing_agency, "budget_yuan": 30_000_000,
             "milestones": [{"title": "首批投用", "planned_on": today + Duration::days(20)}]},
            {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": housing_agency, "budget_yuan": 8_000_000},
        ]),
    )
    .await;
    let (_, mains) = elect(
        &app,
        &staff,
        &roster,
        &json!([
            {"title": "农村供水管网改造", "summary": "改造管网80公里。", "agency_id": water_agency, "budget_yuan": 50_000_000,
             "milestones": [{"title": "完成管网铺设", "planned_on": today + Duration::days(30)}]},
            {"title": "河道清淤", "summary": "清淤30公里。", "agency_id": water_agency, "budget_yuan": 6_000_000},
        ]),
    )
    .await;

    // Completion: not while a milestone is open, only by the agency, once.
    let complete = format!("/api/v1/projects/{lifts}/completion");
    let summary = json!({"summary": "加装电梯52台"});
    assert_problem(app.post(&complete, &housing, &summary).await, 409, "conflict").await;
    assert_problem(app.post(&complete, &water, &summary).await, 404, "not_found").await;
    assert_problem(app.post(&complete, &staff, &summary).await, 403, "forbidden").await;
    deliver(&app, &housing, &lifts).await;
    assert_problem(app.post(&complete, &housing, &summary).await, 409, "conflict").await;
    assert!(notifications(&app, &staff)
        .await
        .iter()
        .any(|n| n["kind"] == "project_completed" && n["project_id"] == lifts.as_str()));

    // Acceptance: staff return it with what is missing (a return without it is refused), the agency completes it
    // again, staff accept.
    let acceptance = format!("/api/v1/projects/{lifts}/acceptance");
    assert_problem(
        app.post(&acceptance, &housing, &json!({"accepted": true})).await,
        403,
        "forbidden",
    )
    .await;
    let problem = assert_problem(
        app.post(&acceptance, &staff, &json!({"accepted": false})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "note");
    let res = app
        .post(
            &acceptance,
            &staff,
            &json!({"accepted": false, "note": "缺少特种设备检验报告"}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.expect("json")["delivery"], "delivering");
    assert_problem(
        app.post(&acceptance, &staff, &json!({"accepted": true})).await,
        409,
        "conflict",
    )
    .await;
    let res = app.post(&complete, &housing, &json!({"summary": "补齐检验报告"})).await;
    assert_eq!(res.status(), 200);
    accept(&app, &staff, &lifts).await;

    // Only accepted projects are evaluated.
    deliver(&app, &water, &mains).await;
    let now = app.state.clock.now();
    let early = json!({
        "region_code": "330281", "title": "测评", "session": "会议", "project_ids": [lifts, mains],
        "opens_at": now, "closes_at": now + Duration::days(1),
        "roster": roster.iter().map(|(id, _)| id).collect::<Vec<_>>(),
    });
    let problem = assert_problem(
        app.post("/api/v1/evaluations", &staff, &early).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "project_ids[1]");
    assert_problem(
        app.post("/api/v1/evaluations", &housing, &early).await,
        403,
        "forbidden",
    )
    .await;
    accept(&app, &staff, &mains).await;

    // The deputies rate both, secretly: the lifts pass (3 of 3 content), the mains do not (1 of 3).
    let results = evaluate(
        &app,
        &staff,
        &roster,
        &[&lifts, &mains],
        &[
            vec![(&lifts, "satisfied"), (&mains, "dissatisfied")],
            vec![(&mains, "dissatisfied"), (&lifts, "basically")],
            vec![(&lifts, "satisfied"), (&mains, "satisfied")],
        ],
    )
    .await;
    assert_eq!(results["kind"], "evaluation");
    assert_eq!(results["cast"], 3);
    assert_eq!(results["turnout_percent"], 100.0);
    let rated = |id: &str| {
        results["evaluated"]
            .as_array()
            .expect("evaluated")
            .iter()
            .find(|e| e["project_id"] == id)
            .cloned()
            .expect("rated")
    };
    assert_eq!(
        (
            rated(&lifts)["satisfied"].clone(),
            rated(&lifts)["basically"].clone(),
            rated(&lifts)["passed"].clone()
        ),
        (json!(2), json!(1), json!(true))
    );
    assert_eq!(
        (rated(&mains)["dissatisfied"].clone(), rated(&mains)["passed"].clone()),
        (json!(2), json!(false))
    );

    // The mains go to 整改: a milestone due in thirty days, on the board, and the agency is told.
    let page = app.get_json(&format!("/api/v1/projects/{mains}"), &water).await;
    assert_eq!(page["delivery"], "rectifying");
    let rectify = page["milestones"]
        .as_array()
        .expect("milestones")
        .iter()
        .find(|m| m["title"] == "整改")
        .cloned()
        .expect("a rectification milestone");
    assert_eq!(rectify["planned_on"], (today + Duration::days(30)).to_string());
    let board = app.get_json("/api/v1/deadlines?stage=milestone", &water).await;
    assert!(board["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|d| d["milestone"] == "整改" && d["project_id"] == mains.as_str()));
    assert!(notifications(&app, &water)
        .await
        .iter()
        .any(|n| n["kind"] == "project_evaluated" && n["project_id"] == mains.as_str()));
    assert_eq!(
        app.get_json(&format!("/api/v1/projects/{lifts}"), &housing).await["delivery"],
        "satisfied"
    );

    // Rectified, declared complete and accepted again, a second evaluation passes it.
    deliver(&app, &water, &mains).await;
    accept(&app, &staff, &mains).await;
    let again = evaluate(
        &app,
        &staff,
        &roster,
        &[&mains],
        &[
            vec![(&mains, "satisfied")],
            vec![(&mains, "basically")],
            vec![(&mains, "satisfied")],
        ],
    )
    .await;
    assert_eq!(again["evaluated"][0]["passed"], true);

    // The public page tells the whole story: elected with its votes, accepted, evaluated twice, satisfied.
    let public = app.public_json(&format!("/api/v1/public/projects/{mains}")).await;
    assert_eq!(public["delivery"], "satisfied");
    assert_eq!(public["votes"], 3);
    assert_eq!(public["evaluations"].as_array().map(Vec::len), Some(2));
    assert_eq!(public["evaluations"][0]["passed"], true, "newest first");
    let kinds: Vec<&str> = public["timeline"]["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        kinds,
        [
            "elected",
            "milestone_done",
            "completed",
            "accepted",
            "evaluated",
            "milestone_done",
            "completed",
            "accepted",
            "evaluated"
        ]
    );
    assert_eq!(public["timeline"]["intact"], true);

    // The year closes with a report of every project: votes, delivery, money, evaluations and 整改.
    let year = app
        .state
        .clock
        .now()
        .with_timezone(&domain_shanghai())
        .format("%Y")
        .to_string();
    let report = app
        .get_json(&format!("/api/v1/reports/projects?year={year}&region=330281"), &staff)
        .await;
    assert_eq!(report["projects"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        (report["satisfied"].clone(), report["rectifying"].clone()),
        (json!(2), json!(0))
    );
    let row = |id: &str| {
        report["projects"]
            .as_array()
            .expect("projects")
            .iter()
            .find(|p| p["id"] == id)
            .cloned()
            .expect("a row")
    };
    assert_eq!(row(&mains)["rectifications"], 1);
    assert_eq!(row(&lifts)["rectifications"], 0);
    let md = app
        .get(&format!("/api/v1/reports/projects?year={year}&format=md"), &staff)
        .await
        .text()
        .await
        .expect("text");
    assert!(
        md.contains("农村供水管网改造") && md.contains("满意 2、基本满意 1、不满意 0（通过）"),
        "{md}"
    );
    let sheet = app
        .get(&format!("/api/v1/reports/projects?year={year}&format=csv"), &staff)
        .await
        .text()
        .await
        .expect("text");
    assert!(sheet.starts_with('\u{feff}') && sheet.contains("整改次数"), "{sheet}");
    assert_eq!(sheet.lines().count(), 3, "a header and a row a project");
    assert_problem(
        app.get(&format!("/api/v1/reports/projects?year={year}"), &housing)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get("/api/v1/reports/projects?year=1900", &staff).await,
        400,
        "invalid_query",
    )
    .await;
}
