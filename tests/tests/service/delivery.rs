//! 领单 end to end: after the vote the responsible agency asks to postpone a milestone (approved: the deadline, its
//! colour and its reminder follow the new day, and the board shows it as a milestone) and to add one (refused);
//! money is recorded against the budget and flagged when it runs ahead of the work; staff place the project and turn
//! a citizen's comment into an issue linked both ways; every change is on the project's hash-chained timeline and
//! its public page; everyone outside gets 403 or 404.

use crate::ballots::{agency_id, deputies, domain_shanghai, elect};
use crate::issues::{sql, BEILUN_STAFF, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, WATER_HANDLER, YUYAO_STAFF};
use crate::projects::county;
use crate::supervision::notifications;
use chrono::{Duration, NaiveDate};
use minsheng_api::worker::supervise;
use minsheng_tests::assert_problem;
use serde_json::{json, Value};

#[tokio::test]
async fn the_agency_replans_and_spends_staff_decide_and_every_change_is_on_the_chained_timeline() {
    let (app, fake, _seed) = county().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun_staff = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    let wang = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing_agency = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let roster = deputies(&app, 1).await;
    let today = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    let (_, lifts) = elect(
        &app,
        &staff,
        &roster,
        &json!([
            {"title": "老旧小区加装电梯", "summary": "年内加装50台。", "agency_id": housing_agency, "budget_yuan": 1_000_000,
             "milestones": [{"title": "完成施工招标", "planned_on": today + Duration::days(10)},
                            {"title": "首批20台投用", "planned_on": today + Duration::days(60)}]},
            {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": housing_agency, "budget_yuan": 8_000_000},
        ]),
    )
    .await;
    let page = app.get_json(&format!("/api/v1/projects/{lifts}"), &staff).await;
    let tender = page["milestones"][0]["id"].as_str().expect("id").to_owned();
    let changes = format!("/api/v1/projects/{lifts}/plan-changes");

    // The agency asks to postpone the tender by twenty days; nobody else may ask, and a malformed ask is refused
    // at its field.
    let later = today + Duration::days(30);
    let postpone =
        json!({"kind": "postpone", "milestone_id": tender, "planned_on": later, "reason": "招标文件需重新审核"});
    assert_problem(app.post(&changes, &water, &postpone).await, 404, "not_found").await;
    assert_problem(app.post(&changes, &beilun_staff, &postpone).await, 404, "not_found").await;
    assert_problem(app.post(&changes, &staff, &postpone).await, 403, "forbidden").await;
    assert_problem(app.post(&changes, &wang, &postpone).await, 403, "forbidden").await;
    for (body, field) in [
        (
            json!({"kind": "postpone", "milestone_id": tender, "planned_on": today, "reason": "x"}),
            "planned_on",
        ),
        (
            json!({"kind": "postpone", "milestone_id": tender, "reason": "x"}),
            "planned_on",
        ),
        (
            json!({"kind": "postpone", "milestone_id": uuid::Uuid::now_v7(), "planned_on": later, "reason": "x"}),
            "milestone_id",
        ),
        (
            json!({"kind": "add", "milestone_id": tender, "title": "x", "planned_on": later, "reason": "x"}),
            "milestone_id",
        ),
        (json!({"kind": "amend", "milestone_id": tender, "reason": "x"}), "title"),
        (
            json!({"kind": "postpone", "milestone_id": tender, "planned_on": later, "reason": " "}),
            "reason",
        ),
    ] {
        let problem = assert_problem(app.post(&changes, &housing, &body).await, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let res = app.post(&changes, &housing, &postpone).await;
    assert_eq!(res.status(), 201);
    let asked: Value = res.json().await.expect("json");
    assert_eq!(asked["decision"], Value::Null);
    let postponement = asked["id"].as_str().expect("id").to_owned();
    assert_problem(app.post(&changes, &housing, &postpone).await, 409, "conflict").await;
    assert!(
        notifications(&app, &staff)
            .await
            .iter()
            .any(|n| n["kind"] == "plan_change_asked" && n["project_id"] == lifts.as_str()),
        "the region's staff are told, and the notice opens the project"
    );
    let summary = app.get_json(&format!("/api/v1/projects/{lifts}"), &staff).await;
    assert_eq!(summary["plan_changes_waiting"], 1);

    // Staff approve: the milestone moves, and so do its deadline, its colour and its reminder.
    let decide = format!("{changes}/{postponement}/decision");
    assert_problem(
        app.post(&decide, &housing, &json!({"decision": "approved"})).await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .post(
            &decide,
            &staff,
            &json!({"decision": "approved", "note": "同意，请抓紧"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let decided: Value = res.json().await.expect("json");
    assert_eq!(decided["decision"], "approved");
    assert_problem(
        app.post(&decide, &staff, &json!({"decision": "refused"})).await,
        409,
        "conflict",
    )
    .await;
    let page = app.get_json(&format!("/api/v1/projects/{lifts}"), &staff).await;
    assert_eq!(page["milestones"][0]["planned_on"], later.to_string());
    assert_eq!(page["plan_changes_waiting"], 0);
    let board = app.get_json("/api/v1/deadlines?stage=milestone", &housing).await;
    let row = board["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|d| d["milestone"] == "完成施工招标")
        .cloned()
        .expect("the board shows the milestone as a stage of its own");
    assert_eq!(row["stage"], "milestone");
    assert_eq!(row["project_id"], lifts.as_str());
    assert_eq!(row["title"], "老旧小区加装电梯");
    assert_eq!(row["issue_id"], Value::Null);
    let due: chrono::DateTime<chrono::Utc> = row["due_at"].as_str().expect("due").parse().expect("time");
    assert_eq!(
        due.with_timezone(&domain_shanghai()).date_naive(),
        later + Duration::days(1)
    );
    assert!(
        notifications(&app, &housing)
            .await
            .iter()
            .any(|n| n["kind"] == "plan_change_decided" && n["project_id"] == lifts.as_str()),
        "the agency is told"
    );
    // Eight days on the old plan would have warned; on the approved one nothing is due yet.
    app.state.clock.advance(Duration::days(8));
    assert_eq!(
        supervise::tick(&app.state).await,
        0,
        "the reminder follows the approved plan"
    );
    app.state.clock.advance(Duration::days(14));
    assert_eq!(supervise::tick(&app.state).await, 1);
    let warned = notifications(&app, &housing).await;
    let warning = warned
        .iter()
        .find(|n| n["kind"] == "milestone_warned")
        .expect("the agency is reminded");
    assert_eq!(
        warning["project_id"],
        lifts.as_str(),
        "a milestone's notice opens its project"
    );

    // The agency asks for a new milestone; staff refuse it, and the plan stays.
    let add = json!({"kind": "add", "title": "增设无障碍坡道", "planned_on": today + Duration::days(50), "reason": "居民建议"});
    let res = app.post(&changes, &housing, &add).await;
    assert_eq!(res.status(), 201);
    let added: Value = res.json().await.expect("json");
    let refuse = format!("{changes}/{}/decision", added["id"].as_str().expect("id"));
    let res = app
        .post(
            &refuse,
            &staff,
            &json!({"decision": "refused", "note": "纳入下一年度计划"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = app.get_json(&format!("/api/v1/projects/{lifts}"), &staff).await;
    assert_eq!(page["milestones"].as_array().expect("milestones").len(), 2);

    // Money: the agency records an allocation and a spending; a deputy may not, a future day is refused.
    let money = format!("/api/v1/projects/{lifts}/money");
    let spend = |kind: &str, amount: i64, on: NaiveDate| json!({"kind": kind, "on_date": on, "amount_yuan": amount, "note": "第一期工程款"});
    let now_day = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    assert_problem(
        app.post(&money, &wang, &spend("spent", 1, now_day)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(&money, &water, &spend("spent", 1, now_day)).await,
        404,
        "not_found",
    )
    .await;
    for (body, field) in [
        (spend("spent", 1, now_day + Duration::days(1)), "on_date"),
        (spend("spent", 0, now_day), "amount_yuan"),
    ] {
        let problem = assert_problem(app.post(&money, &housing, &body).await, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    assert_eq!(
        app.post(&money, &staff, &spend("allocated", 800_000, now_day))
            .await
            .status(),
        201
    );
    assert_eq!(
        app.post(&money, &housing, &spend("spent", 600_000, now_day))
            .await
            .status(),
        201
    );
    let page = app.get_json(&format!("/api/v1/projects/{lifts}"), &staff).await;
    assert_eq!(page["spending"]["allocated_yuan"], 800_000);
    assert_eq!(page["spending"]["spent_yuan"], 600_000);
    assert_eq!(page["spending"]["spent_percent"], 60);
    assert_eq!(page["spending"]["done_percent"], 0);
    assert_eq!(
        page["spending"]["pace"], "ahead",
        "60% spent with nothing done is flagged"
    );
    assert_eq!(page["money"].as_array().expect("entries").len(), 2);

    // Staff place it on the map; the agency may not.
    let place = format!("/api/v1/projects/{lifts}/place");
    let at = json!({"location": {"latitude": 30.0445, "longitude": 121.1547}, "address": "凤山街道新建路小区"});
    let res = app.call(reqwest::Method::PUT, &place, Some(&housing), Some(&at)).await;
    assert_problem(res, 403, "forbidden").await;
    let res = app.call(reqwest::Method::PUT, &place, Some(&staff), Some(&at)).await;
    assert_eq!(res.status(), 204);

    // A citizen's comment becomes an issue of the 报议督评 loop: its author reports it, the two name each other.
    let citizen = app.wechat_sign_in(&fake, "lift-neighbour").await["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let res = app
        .post(
            &format!("/api/v1/projects/{lifts}/comments"),
            &citizen,
            &json!({"body": "施工噪音晚上十点后还在响"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let comment: Value = res.json().await.expect("json");
    let turn = format!(
        "/api/v1/projects/{lifts}/comments/{}/issue",
        comment["id"].as_str().expect("id")
    );
    assert_problem(app.post(&turn, &housing, &json!({})).await, 403, "forbidden").await;
    assert_problem(app.post(&turn, &beilun_staff, &json!({})).await, 404, "not_found").await;
    let res = app.post(&turn, &staff, &json!({})).await;
    assert_eq!(res.status(), 201);
    let turned: Value = res.json().await.expect("json");
    let issue = turned["issue_id"]
        .as_str()
        .expect("the comment names its issue")
        .to_owned();
    assert_problem(app.post(&turn, &staff, &json!({})).await, 409, "conflict").await;
    let mine = app.get_json(&format!("/api/v1/issues/{issue}"), &citizen).await;
    assert_eq!(
        mine["description"], "施工噪音晚上十点后还在响",
        "the commenter follows it as their report"
    );
    let events = app.get_json(&format!("/api/v1/issues/{issue}/timeline"), &staff).await;
    let report = events
        .as_array()
        .and_then(|e| e.first())
        .cloned()
        .unwrap_or(events["items"][0].clone());
    assert_eq!(
        report["data"]["project_id"],
        lifts.as_str(),
        "the issue names the project: {report}"
    );

    // Everything is on the project's timeline, in order, chained; the public page tells the same story.
    let timeline = app
        .get_json(&format!("/api/v1/projects/{lifts}/timeline"), &staff)
        .await;
    let kinds: Vec<&str> = timeline["events"]
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
            "placed",
            "comment_turned_into_issue",
        ]
    );
    assert_eq!(timeline["intact"], true);
    let approved = &timeline["events"][2]["note"];
    assert!(
        approved
            .as_str()
            .is_some_and(|n| n.contains("推迟") && n.contains("招标文件需重新审核")),
        "the public sentence says what moved and why: {approved}"
    );
    let public = app.public_json(&format!("/api/v1/public/projects/{lifts}")).await;
    assert_eq!(public["timeline"]["events"].as_array().map(Vec::len), Some(9));
    assert_eq!(public["plan_changes"].as_array().map(Vec::len), Some(2));
    assert_eq!(public["money"].as_array().map(Vec::len), Some(2));
    assert_eq!(public["location"]["latitude"], 30.0445);
    assert_eq!(public["address"], "凤山街道新建路小区");
    assert_problem(
        app.call(
            reqwest::Method::GET,
            &format!("/api/v1/projects/{lifts}/timeline"),
            Some(&citizen),
            None,
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Editing a recorded event breaks the chain where it was edited.
    sql(
        &app,
        &format!("UPDATE project_events SET note = '改过的' WHERE project_id = '{lifts}' AND seq = 3"),
    )
    .await;
    let timeline = app
        .get_json(&format!("/api/v1/projects/{lifts}/timeline"), &staff)
        .await;
    assert_eq!(timeline["intact"], false);
}
