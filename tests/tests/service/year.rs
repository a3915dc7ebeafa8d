//! The whole 票决制 year, 群众点单、代表定单、政府领单、人大验单, on the manual clock: a round gathers proposals and
//! supports; two become candidates of a ballot the deputies vote in secret; the agencies deliver the two elected
//! projects — one postponement approved, one new milestone refused, money recorded, a comment answered and another
//! turned into an issue; they are completed and accepted; a secret evaluation sends one to 整改, it is rectified and
//! evaluated again; the year report tells it all, and so does each project's public page.

use crate::acceptance::{accept, deliver, evaluate};
use crate::ballots::{agency_id, cast, deputies, domain_shanghai, Voter};
use crate::issues::{HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, WATER_HANDLER, YUYAO_STAFF};
use crate::projects::county;
use blind_rsa_signatures::PublicKey;
use chrono::Duration;
use minsheng_tests::TestApp;
use serde_json::{json, Value};

async fn ok(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "answered {}", res.status());
    res.json().await.expect("JSON")
}

async fn citizen(app: &TestApp, fake: &minsheng_tests::wechat::FakeWeChat, who: &str) -> String {
    app.wechat_sign_in(fake, who).await["access_token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

#[tokio::test]
async fn a_county_runs_the_whole_year_from_proposals_to_the_year_report() {
    let (app, fake, _seed) = county().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    let wang = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let (zhang, li, zhao) = (
        citizen(&app, &fake, "year-zhang").await,
        citizen(&app, &fake, "year-li").await,
        citizen(&app, &fake, "year-zhao").await,
    );

    // 群众点单: a round gathers proposals and supports.
    let now = app.state.clock.now();
    let year = now.with_timezone(&domain_shanghai()).format("%Y").to_string();
    let round = ok(
        app.post(
            "/api/v1/proposal-rounds",
            &staff,
            &json!({"region_code": "330281", "year": year.parse::<i32>().expect("a year"),
                    "title": "民生实事项目征集", "ask": "请提出最需要政府办的民生实事。",
                    "opens_at": now, "closes_at": now + Duration::days(20)}),
        )
        .await,
        201,
    )
    .await;
    let proposals = format!(
        "/api/v1/proposal-rounds/{}/proposals",
        round["id"].as_str().expect("id")
    );
    let lift = ok(
        app.post(
            &proposals,
            &zhang,
            &json!({"title": "老小区加装电梯", "body": "阳明街道老小区加装电梯。", "reason": "老人上楼难。"}),
        )
        .await,
        201,
    )
    .await;
    let mains = ok(
        app.post(
            &proposals,
            &li,
            &json!({"title": "农村自来水管网改造", "body": "改造老旧管网。", "reason": "水压低、常停水。"}),
        )
        .await,
        201,
    )
    .await;
    for (who, p) in [(&zhao, &lift), (&wang, &lift), (&zhao, &mains)] {
        ok(
            app.post(
                &format!("/api/v1/proposals/{}/support", p["id"].as_str().expect("id")),
                who,
                &json!({}),
            )
            .await,
            200,
        )
        .await;
    }
    app.state.clock.advance(Duration::days(21));

    // 代表定单: both proposals become candidates; three deputies elect two of three in secret.
    let (housing_agency, water_agency) = (
        agency_id(&app, &staff, "余姚市住房和城乡建设局").await,
        agency_id(&app, &staff, "余姚市水利局").await,
    );
    let roster = deputies(&app, 3).await;
    let today = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    let now = app.state.clock.now();
    let ballot = ok(
        app.post(
            "/api/v1/ballots",
            &staff,
            &json!({
                "region_code": "330281", "title": "民生实事项目代表票决", "session": "人民代表大会会议", "seats": 2,
                "opens_at": now - Duration::minutes(1), "closes_at": now + Duration::days(1),
                "roster": roster.iter().map(|(id, _)| id).collect::<Vec<_>>(),
                "candidates": [
                    {"title": "老旧小区加装电梯", "summary": "加装50台。", "agency_id": housing_agency, "budget_yuan": 1_000_000,
                     "proposal_ids": [lift["id"]],
                     "milestones": [{"title": "完成施工招标", "planned_on": today + Duration::days(30)},
                                    {"title": "电梯投用", "planned_on": today + Duration::days(120)}]},
                    {"title": "农村供水管网改造", "summary": "改造80公里。", "agency_id": water_agency, "budget_yuan": 2_000_000,
                     "proposal_ids": [mains["id"]],
                     "milestones": [{"title": "完成管网铺设", "planned_on": today + Duration::days(150)}]},
                    {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": housing_agency, "budget_yuan": 800_000},
                ],
            }),
        )
        .await,
        201,
    )
    .await;
    let ballot_id = ballot["id"].as_str().expect("id").to_owned();
    let lifts = ballot["candidates"][0]["id"].as_str().expect("id").to_owned();
    let pipes = ballot["candidates"][1]["id"].as_str().expect("id").to_owned();
    let key = PublicKey::from_pem(ballot["public_key"].as_str().expect("pem")).expect("a key");
    for (_, token) in &roster {
        let voter = Voter::new(&key);
        let answer = ok(
            app.post(
                &format!("/api/v1/ballots/{ballot_id}/check-in"),
                token,
                &voter.check_in_body(),
            )
            .await,
            200,
        )
        .await;
        let paper = voter.paper(&key, &answer, &[lifts.clone(), pipes.clone()]);
        assert_eq!(cast(&app, &ballot_id, &paper).await.status(), 201);
    }
    let results = ok(
        app.post(&format!("/api/v1/ballots/{ballot_id}/close"), &staff, &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(results["elected"].as_array().map(Vec::len), Some(2));

    // 政府领单: the plan moves once with approval and once not; money; a comment answered, another made an issue.
    let page = app.get_json(&format!("/api/v1/projects/{lifts}"), &housing).await;
    assert_eq!(page["backing"]["people"], 3, "proposed by one, supported by two");
    let tender = page["milestones"][0]["id"].clone();
    let changes = format!("/api/v1/projects/{lifts}/plan-changes");
    let postpone = ok(
        app.post(
            &changes,
            &housing,
            &json!({"kind": "postpone", "milestone_id": tender,
                  "planned_on": today + Duration::days(45), "reason": "招标文件重新审核"}),
        )
        .await,
        201,
    )
    .await;
    ok(
        app.post(
            &format!("{changes}/{}/decision", postpone["id"].as_str().expect("id")),
            &staff,
            &json!({"decision": "approved"}),
        )
        .await,
        200,
    )
    .await;
    let added = ok(
        app.post(
            &changes,
            &housing,
            &json!({"kind": "add", "title": "无障碍坡道", "planned_on": today + Duration::days(60),
                  "reason": "居民建议"}),
        )
        .await,
        201,
    )
    .await;
    ok(
        app.post(
            &format!("{changes}/{}/decision", added["id"].as_str().expect("id")),
            &staff,
            &json!({"decision": "refused", "note": "列入下一年度"}),
        )
        .await,
        200,
    )
    .await;
    let day = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    for (project, who, amount) in [(&lifts, &housing, 400_000), (&pipes, &water, 900_000)] {
        for kind in ["allocated", "spent"] {
            ok(
                app.post(
                    &format!("/api/v1/projects/{project}/money"),
                    who,
                    &json!({"kind": kind, "on_date": day, "amount_yuan": amount, "note": "工程款"}),
                )
                .await,
                201,
            )
            .await;
        }
    }
    let asked = ok(
        app.post(
            &format!("/api/v1/projects/{lifts}/comments"),
            &zhang,
            &json!({"body": "什么时候开工？"}),
        )
        .await,
        201,
    )
    .await;
    ok(
        app.post(
            &format!(
                "/api/v1/projects/{lifts}/comments/{}/answer",
                asked["id"].as_str().expect("id")
            ),
            &housing,
            &json!({"answer": "下月开工。"}),
        )
        .await,
        200,
    )
    .await;
    let noise = ok(
        app.post(
            &format!("/api/v1/projects/{pipes}/comments"),
            &li,
            &json!({"body": "施工占道没有围挡"}),
        )
        .await,
        201,
    )
    .await;
    let turned = ok(
        app.post(
            &format!(
                "/api/v1/projects/{pipes}/comments/{}/issue",
                noise["id"].as_str().expect("id")
            ),
            &staff,
            &json!({}),
        )
        .await,
        201,
    )
    .await;
    assert!(turned["issue_id"].is_string());

    // 人大验单: months on, both are delivered and accepted; the evaluation sends the mains to 整改; rectified and
    // accepted again, they pass the second.
    app.state.clock.advance(Duration::days(150));
    deliver(&app, &housing, &lifts).await;
    deliver(&app, &water, &pipes).await;
    accept(&app, &staff, &lifts).await;
    accept(&app, &staff, &pipes).await;
    let first = evaluate(
        &app,
        &staff,
        &roster,
        &[&lifts, &pipes],
        &[
            vec![(&lifts, "satisfied"), (&pipes, "dissatisfied")],
            vec![(&lifts, "basically"), (&pipes, "dissatisfied")],
            vec![(&lifts, "satisfied"), (&pipes, "basically")],
        ],
    )
    .await;
    assert_eq!(first["evaluated"][1]["passed"], false);
    app.state.clock.advance(Duration::days(20));
    deliver(&app, &water, &pipes).await;
    accept(&app, &staff, &pipes).await;
    let second = evaluate(
        &app,
        &staff,
        &roster,
        &[&pipes],
        &[
            vec![(&pipes, "satisfied")],
            vec![(&pipes, "satisfied")],
            vec![(&pipes, "basically")],
        ],
    )
    .await;
    assert_eq!(second["evaluated"][0]["passed"], true);

    // The year report and the public pages tell the whole year.
    let report = app
        .get_json(&format!("/api/v1/reports/projects?year={year}&region=330281"), &staff)
        .await;
    assert_eq!(report["projects"].as_array().map(Vec::len), Some(2));
    assert_eq!(report["satisfied"], 2);
    assert_eq!(report["spent_yuan"], 1_300_000);
    let public = app.public_json(&format!("/api/v1/public/projects/{lifts}")).await;
    assert_eq!(public["votes"], 3);
    assert_eq!(public["backing"]["proposals"], 1);
    assert_eq!(public["delivery"], "satisfied");
    assert_eq!(public["comments"][0]["answer"], "下月开工。");
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
            "plan_change_asked",
            "plan_change_approved",
            "plan_change_asked",
            "plan_change_refused",
            "money_recorded",
            "money_recorded",
            "milestone_done",
            "milestone_done",
            "completed",
            "accepted",
            "evaluated",
        ]
    );
    assert_eq!(public["timeline"]["intact"], true);
    let pipes_page = app.public_json(&format!("/api/v1/public/projects/{pipes}")).await;
    assert_eq!(pipes_page["evaluations"].as_array().map(Vec::len), Some(2));
    assert!(
        pipes_page["comments"][0]["issue_id"].is_string(),
        "the comment names its issue"
    );
}
