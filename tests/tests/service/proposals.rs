//! 点单 end to end: 余姚's staff open a round of proposals; citizens and a deputy propose and support (附议) one
//! another's while it is open; the public reads what it gathered without anyone named; staff fold a duplicate into
//! the proposal it repeats (its backers follow) and say why another is not taken, and the proposers are told.
//! WeChat's content check refuses a risky proposal and holds a doubtful one for staff to publish. Another region's
//! staff, handlers, a proposer supporting their own proposal, and anyone after the round closed are refused; a decision retried with its key answers the same, and a second decision is refused.

use crate::ballots::{agency_id, deputies, elect};
use crate::issues::{BEILUN_STAFF, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY, YUYAO_STAFF};
use crate::projects::county;
use chrono::Duration;
use minsheng_tests::wechat::{REVIEW_WORD, RISKY_WORD};
use minsheng_tests::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn citizen(app: &TestApp, fake: &minsheng_tests::wechat::FakeWeChat, who: &str) -> String {
    app.wechat_sign_in(fake, who).await["access_token"]
        .as_str()
        .expect("a citizen's token")
        .to_owned()
}

async fn json_of(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "answered {}", res.status());
    res.json().await.expect("JSON")
}

#[tokio::test]
async fn citizens_propose_and_support_while_a_round_is_open_and_staff_sort_what_it_gathered() {
    let (app, fake, _seed) = county().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun_staff = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let handler = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let zhang = citizen(&app, &fake, "zhang").await;
    let li = citizen(&app, &fake, "li").await;
    let zhao = citizen(&app, &fake, "zhao").await;
    let now = app.state.clock.now();
    let round_body = json!({
        "region_code": "330281", "year": 2027, "title": "2027年余姚市民生实事项目征集",
        "ask": "请提出明年最需要政府办的民生实事，写清做什么、在哪里、为什么。",
        "opens_at": now + Duration::hours(1), "closes_at": now + Duration::days(30),
    });

    // Only staff over the region open a round; a handler or a citizen is refused, a closing before the opening too.
    assert_problem(
        app.post("/api/v1/proposal-rounds", &handler, &round_body).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/api/v1/proposal-rounds", &zhang, &round_body).await,
        403,
        "forbidden",
    )
    .await;
    let mut backwards = round_body.clone();
    backwards["closes_at"] = json!(now);
    let problem = assert_problem(
        app.post("/api/v1/proposal-rounds", &staff, &backwards).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "closes_at");
    let round = json_of(app.post("/api/v1/proposal-rounds", &staff, &round_body).await, 201).await;
    let round_id = round["id"].as_str().expect("a round id").to_owned();
    assert_eq!(round["phase"], "scheduled");
    let proposals = format!("/api/v1/proposal-rounds/{round_id}/proposals");

    // Before it opens nothing is taken.
    let lift = json!({"title": "阳明街道老旧小区加装电梯", "body": "阳明街道二十个老小区没有电梯，请统一加装。",
                      "reason": "老人上下楼难，联系电话13812345678。"});
    assert_problem(app.post(&proposals, &zhang, &lift).await, 409, "wrong_state").await;
    app.state.clock.advance(Duration::hours(2));

    // Citizens and a deputy propose; staff and handlers do not; a proposal without its reason is refused at the field.
    let lift = json_of(app.post(&proposals, &zhang, &lift).await, 201).await;
    assert_eq!(lift["status"], "open");
    assert_eq!(lift["proposed_by"], "citizen");
    assert!(
        !lift["reason"].as_str().expect("a reason").contains("13812345678"),
        "typed numbers are masked"
    );
    let again = json!({"title": "给阳明老小区装电梯", "body": "同上，老小区加装电梯。", "reason": "爬楼太累。"});
    let duplicate = json_of(app.post(&proposals, &li, &again).await, 201).await;
    let park =
        json!({"title": "城北建口袋公园", "body": "在城北空地建一个口袋公园。", "reason": "附近没有可以散步的地方。"});
    let park = json_of(app.post(&proposals, &deputy, &park).await, 201).await;
    assert_eq!(park["proposed_by"], "deputy");
    assert_problem(app.post(&proposals, &staff, &again).await, 403, "forbidden").await;
    assert_problem(app.post(&proposals, &handler, &again).await, 403, "forbidden").await;
    let problem = assert_problem(
        app.post(
            &proposals,
            &zhao,
            &json!({"title": "路灯", "body": "修路灯", "reason": " "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "reason");

    // 附议: others support; the proposer cannot support their own, a second support changes nothing.
    let support = |id: &Value| format!("/api/v1/proposals/{}/support", id.as_str().expect("an id"));
    let decision = |id: &Value| format!("/api/v1/proposals/{}/decision", id.as_str().expect("an id"));
    assert_problem(
        app.post(&support(&lift["id"]), &zhang, &json!({})).await,
        403,
        "forbidden",
    )
    .await;
    json_of(app.post(&support(&lift["id"]), &zhao, &json!({})).await, 200).await;
    let twice = json_of(app.post(&support(&lift["id"]), &zhao, &json!({})).await, 200).await;
    assert_eq!(twice["supporters"], 1);
    json_of(app.post(&support(&duplicate["id"]), &deputy, &json!({})).await, 200).await;
    json_of(app.post(&support(&duplicate["id"]), &zhao, &json!({})).await, 200).await;
    assert_problem(
        app.post(&support(&park["id"]), &handler, &json!({})).await,
        403,
        "forbidden",
    )
    .await;

    // Anyone reads the round and what it gathered, most supported first, nobody named.
    let page = app.public_json(&format!("/api/v1/proposal-rounds/{round_id}")).await;
    assert_eq!(page["phase"], "open");
    assert_eq!(page["proposals"], 3);
    let items = page["items"].as_array().expect("proposals");
    assert_eq!(items[0]["id"], duplicate["id"], "two supporters first");
    assert!(
        items.iter().all(|p| p.get("author_id").is_none()),
        "proposers are never named"
    );
    let listed = app.public_json("/api/v1/proposal-rounds?region=330281").await;
    assert!(listed
        .as_array()
        .expect("rounds")
        .iter()
        .any(|r| r["id"] == round["id"]));

    // WeChat's content check: a risky proposal is refused at its field; a doubtful one is kept but held — the public
    // does not see it and nobody supports it until staff over the round publish it.
    let risky = json!({"title": "修路", "body": format!("把路修好{RISKY_WORD}"), "reason": "坑多。"});
    let problem = assert_problem(app.post(&proposals, &zhao, &risky).await, 422, "content_risky").await;
    assert_eq!(problem["field"], "body");
    let doubtful = json!({"title": format!("修路{REVIEW_WORD}"), "body": "把城东路修好。", "reason": "坑多。"});
    let held = json_of(app.post(&proposals, &zhao, &doubtful).await, 201).await;
    assert_eq!(held["held_for_review"], true);
    let page = app.public_json(&format!("/api/v1/proposal-rounds/{round_id}")).await;
    assert_eq!(page["proposals"], 3, "a held proposal is not shown");
    assert_problem(app.post(&support(&held["id"]), &li, &json!({})).await, 404, "not_found").await;
    let held_list = format!("/api/v1/proposal-rounds/{round_id}/held");
    assert_problem(app.get(&held_list, &beilun_staff).await, 404, "not_found").await;
    assert_problem(app.get(&held_list, &zhang).await, 403, "forbidden").await;
    let listed = app.get_json(&held_list, &staff).await;
    assert_eq!(listed[0]["id"], held["id"]);
    let published = json_of(
        app.post(&decision(&held["id"]), &staff, &json!({"publish": true}))
            .await,
        200,
    )
    .await;
    assert_eq!(published["held_for_review"], false);
    assert_eq!(published["status"], "open");
    json_of(app.post(&support(&held["id"]), &li, &json!({})).await, 200).await;

    // Staff sort: another region's staff and a handler are refused; a merge into itself is a field error.
    let merge = json!({"merge_into": lift["id"]});
    assert_problem(
        app.post(&decision(&duplicate["id"]), &beilun_staff, &merge).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(&decision(&duplicate["id"]), &handler, &merge).await,
        403,
        "forbidden",
    )
    .await;
    let problem = assert_problem(
        app.post(&decision(&lift["id"]), &staff, &json!({"merge_into": lift["id"]}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "merge_into");
    assert_problem(
        app.post(&decision(&park["id"]), &staff, &json!({})).await,
        422,
        "validation_failed",
    )
    .await;

    // The duplicate folds into the lift: its proposer and supporters back the lift (zhao once), and li is told.
    let merge_the_lifts = || {
        app.client
            .request(Method::POST, app.url(&decision(&duplicate["id"])))
            .bearer_auth(&staff)
            .header("Idempotency-Key", "merge-the-lifts")
            .json(&merge)
            .send()
    };
    let merged = json_of(merge_the_lifts().await.expect("an answer"), 200).await;
    assert_eq!(merged["status"], "merged");
    assert_eq!(merged["merged_into"], lift["id"]);
    let replayed = merge_the_lifts().await.expect("an answer");
    assert_eq!(
        replayed
            .headers()
            .get("idempotent-replayed")
            .map(reqwest::header::HeaderValue::as_bytes),
        Some(&b"true"[..])
    );
    assert_eq!(json_of(replayed, 200).await, merged);
    assert_problem(
        app.post(&decision(&duplicate["id"]), &staff, &json!({"not_taken": "重复"}))
            .await,
        409,
        "wrong_state",
    )
    .await;
    let page = app.public_json(&format!("/api/v1/proposal-rounds/{round_id}")).await;
    let lift_now = page["items"]
        .as_array()
        .expect("proposals")
        .iter()
        .find(|p| p["id"] == lift["id"])
        .expect("the lift")
        .clone();
    assert_eq!(lift_now["supporters"], 3, "zhao, li and the deputy, each once");
    assert_problem(
        app.post(&support(&duplicate["id"]), &deputy, &json!({})).await,
        409,
        "wrong_state",
    )
    .await;

    // The park is not taken, and its proposer reads why; without the why, the refusal names the field to fill.
    let blank = assert_problem(
        app.post(&decision(&park["id"]), &staff, &json!({"not_taken": " "}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(blank["errors"][0]["field"], "not_taken");
    let not_taken = json_of(
        app.post(
            &decision(&park["id"]),
            &staff,
            &json!({"not_taken": "城北空地已规划为学校用地。"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(not_taken["status"], "not_taken");
    let told = app.get_json("/api/v1/notifications", &deputy).await;
    assert!(
        told["items"]
            .as_array()
            .expect("notifications")
            .iter()
            .any(|n| n["kind"] == "proposal"
                && n["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("城北空地已规划为学校用地"))),
        "the deputy is told why: {told}"
    );
    let told = app.get_json("/api/v1/notifications", &li).await;
    assert!(told["items"]
        .as_array()
        .expect("notifications")
        .iter()
        .any(|n| n["kind"] == "proposal"));

    // 群众点单 → 代表定单: a ballot's candidate takes the lift up; a merged proposal, or one named twice, is refused at
    // its field and nothing is written.
    let housing = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let roster = deputies(&app, 2).await;
    let candidates = |ids: Value| {
        json!([
            {"title": "老旧小区加装电梯", "summary": "群众点单：阳明街道老小区加装电梯。", "agency_id": housing,
             "budget_yuan": 30_000_000, "proposal_ids": ids},
            {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": housing, "budget_yuan": 8_000_000},
        ])
    };
    let ballot = |ids: Value| {
        let now = app.state.clock.now();
        json!({"region_code": "330281", "title": "2027年民生实事项目代表票决", "session": "第十七届人民代表大会第七次会议",
               "seats": 1, "opens_at": now, "closes_at": now + Duration::days(1),
               "roster": roster.iter().map(|(id, _)| id).collect::<Vec<_>>(), "candidates": candidates(ids)})
    };
    let problem = assert_problem(
        app.post("/api/v1/ballots", &staff, &ballot(json!([duplicate["id"]])))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "candidates[0].proposal_ids[0]");
    let mut twice = ballot(json!([lift["id"]]));
    twice["candidates"][1]["proposal_ids"] = json!([lift["id"]]);
    let problem = assert_problem(
        app.post("/api/v1/ballots", &staff, &twice).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "candidates[1].proposal_ids[0]");
    let (_, project) = elect(&app, &staff, &roster, &candidates(json!([lift["id"]]))).await;
    let page = app.public_json(&format!("/api/v1/public/projects/{project}")).await;
    assert_eq!(
        page["backing"],
        json!({"proposals": 1, "people": 4}),
        "zhang proposed; zhao, li and the deputy back it"
    );
    let page = app
        .public_json(&format!("/api/v1/proposal-rounds/{round_id}?status=candidate"))
        .await;
    assert_eq!(page["items"][0]["id"], lift["id"]);
    assert_eq!(page["items"][0]["project_id"].as_str(), Some(project.as_str()));
    let told = app.get_json("/api/v1/notifications", &zhang).await;
    assert!(
        told["items"]
            .as_array()
            .expect("notifications")
            .iter()
            .any(|n| n["kind"] == "proposal" && n["body"].as_str().is_some_and(|b| b.contains("候选项目"))),
        "zhang is told the lift became a candidate: {told}"
    );

    // What a citizen proposed and supports is in their export; after the round closes nothing more is taken.
    let export = app.get_json("/api/v1/me/export", &zhao).await;
    assert_eq!(export["supported_proposals"].as_array().expect("supports").len(), 2);
    let export = app.get_json("/api/v1/me/export", &zhang).await;
    assert_eq!(export["proposals"][0]["id"], lift["id"]);
    app.state.clock.advance(Duration::days(31));
    assert_problem(
        app.post(
            &proposals,
            &zhao,
            &json!({"title": "路灯", "body": "修路灯", "reason": "太暗"}),
        )
        .await,
        409,
        "wrong_state",
    )
    .await;
    assert_problem(
        app.post(&support(&lift["id"]), &li, &json!({})).await,
        409,
        "wrong_state",
    )
    .await;
    let unknown = format!("/api/v1/proposal-rounds/{}", uuid::Uuid::now_v7());
    assert_problem(app.call(Method::GET, &unknown, None, None).await, 404, "not_found").await;
}
