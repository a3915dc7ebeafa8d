//! 督: the working-day calendar, three-colour warnings on the service's (manual) clock, the worker's reminders and
//! escalations from the Redis schedule — with two workers, a flushed schedule and a worker that died — and the
//! notifications they send: in-app, WeChat subscribe messages and signed webhooks.

use super::issues::{
    citizen, command, jpeg_with_exif, report, upload, BEILUN_STAFF, HOUSING_HANDLER, PASSWORD, WANG_DEPUTY,
    WATER_HANDLER, YUYAO_STAFF,
};

/// 凤山街道's staff (周丽).
const FENGSHAN_STAFF: &str = "13900000002";
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use minsheng_api::worker::{deliver, supervise};
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::{assert_problem, TestApp};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::{Arc, Mutex};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
}

/// The demo county on Monday 30 November 2026, 09:00, with a deputy, 余姚's staff and a 住建局 handler signed in.
async fn monday_with_deputy_staff_and_housing() -> (TestApp, String, String, String) {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    app.state.clock.set(at("2026-11-30T09:00:00+08:00"));
    (app, deputy, staff, housing)
}

/// A streetlight report by 王代表, accepted and routed by staff to 住建局 (the demo's rule): its sign deadline opens.
pub(crate) async fn routed_issue(app: &TestApp, deputy: &str, staff: &str, what: &str) -> String {
    let issue = report(
        app,
        deputy,
        &json!({"description": format!("{what}：路灯不亮已经两周了。"), "category_code": "streetlight"}),
    )
    .await;
    let id = issue["id"].as_str().expect("id").to_owned();
    command(app, staff, &id, "accept", &json!({})).await;
    command(app, staff, &id, "route", &json!({})).await;
    id
}

pub(crate) async fn notifications(app: &TestApp, token: &str) -> Vec<Value> {
    let page = app.get_json("/api/v1/notifications?limit=100", token).await;
    page["items"].as_array().expect("items").clone()
}

pub(crate) fn kinds_for(list: &[Value], issue: &str) -> Vec<String> {
    let mut kinds: Vec<String> = list
        .iter()
        .filter(|n| n["issue_id"] == issue)
        .map(|n| n["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    kinds.sort();
    kinds
}

async fn timeline_kinds(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let events = app.get_json(&format!("/api/v1/issues/{id}/timeline"), token).await;
    events
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn ids_in(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    let page = app.get_json(path, token).await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            i["issue_id"]
                .as_str()
                .or(i["id"].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_calendar_ships_three_years_and_admins_replace_one() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let admin = app.admin_token().await;

    // 2026 as the State Council published it: Spring Festival 15–23 February, worked Saturdays 14 and 28 February.
    let year = app.get_json("/api/v1/calendar/2026", &staff).await;
    assert_eq!(year["source"], "shipped");
    let days = year["days"].as_array().expect("days");
    let kind_of = |d: &str| {
        days.iter()
            .find(|x| x["day"] == d)
            .map(|x| x["kind"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(kind_of("2026-02-14").as_deref(), Some("workday"));
    assert_eq!(kind_of("2026-02-16").as_deref(), Some("holiday"));
    assert_eq!(kind_of("2026-10-10").as_deref(), Some("workday"));
    assert_eq!(kind_of("2026-03-02"), None);
    assert_eq!(
        app.get_json("/api/v1/calendar/2027", &staff).await["source"],
        Value::Null
    );

    // Only admins replace a year, and only with days that make sense.
    let next = json!({"days": [
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-02-06", "kind": "workday", "name": "春节"},
    ]});
    let res = app
        .call(reqwest::Method::PUT, "/api/v1/calendar/2027", Some(&staff), Some(&next))
        .await;
    assert_problem(res, 403, "forbidden").await;
    let weekday_worked = json!({"days": [{"day": "2027-02-08", "kind": "workday"}]});
    let res = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/calendar/2027",
            Some(&admin),
            Some(&weekday_worked),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["field"], "days[0].day", "{problem}");
    let res = app
        .call(reqwest::Method::PUT, "/api/v1/calendar/2027", Some(&admin), Some(&next))
        .await;
    assert_eq!(res.status(), 200);
    let stored = app.get_json("/api/v1/calendar/2027", &staff).await;
    assert_eq!(stored["source"], "admin");
    assert_eq!(stored["days"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn warnings_turn_on_time_and_the_worker_reminds_then_escalates() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let street = app.sign_in(FENGSHAN_STAFF, PASSWORD).await;

    // Routed on Monday 30 November 2026 at 09:00: signing within one working day means by Tuesday 24:00. It turns
    // yellow when Tuesday starts (less than a working day left comes before two thirds of the time).
    app.state.clock.set(at("2026-11-30T09:00:00+08:00"));
    let id = routed_issue(&app, &deputy, &staff, "凤山路").await;
    let issue = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    let sign = &issue["deadlines"][0];
    assert_eq!(sign["stage"], "sign");
    assert_eq!(
        at(sign["due_at"].as_str().expect("due")),
        at("2026-12-02T00:00:00+08:00")
    );
    assert_eq!(
        at(sign["warn_at"].as_str().expect("warn")),
        at("2026-12-01T00:00:00+08:00")
    );
    assert_eq!(issue["warning"], "green");
    // 住建局 names its contact for supervision (督办联系人): one of its own handlers, not another agency's.
    let lead = issue["lead_agency"]["id"].as_str().expect("lead").to_owned();
    let water_id = app.get_json("/api/v1/me", &water).await["id"].clone();
    let housing_id = app.get_json("/api/v1/me", &housing).await["id"].clone();
    let res = app
        .patch(
            &format!("/api/v1/agencies/{lead}"),
            &staff,
            &json!({"contact_id": water_id}),
        )
        .await;
    assert_eq!(
        assert_problem(res, 422, "validation_failed").await["field"],
        "contact_id"
    );
    let agency = app
        .patch_json(
            &format!("/api/v1/agencies/{lead}"),
            &staff,
            &json!({"contact_id": housing_id}),
        )
        .await;
    assert_eq!(agency["contact_id"], housing_id);
    assert!(supervise::rebuild(&app.state).await.expect("rebuilt") >= 1);
    assert_eq!(supervise::tick(&app.state).await, 0, "nothing is due on Monday");
    assert!(ids_in(&app, &staff, "/api/v1/issues?warning=green").await.contains(&id));
    assert!(!ids_in(&app, &staff, "/api/v1/issues?warning=yellow")
        .await
        .contains(&id));

    // Tuesday 00:00: yellow everywhere, and the handlers are reminded once.
    app.state.clock.set(at("2026-12-01T00:00:01+08:00"));
    let issue = app.get_json(&format!("/api/v1/issues/{id}"), &housing).await;
    assert_eq!(issue["warning"], "yellow");
    assert!(ids_in(&app, &staff, "/api/v1/issues?warning=yellow")
        .await
        .contains(&id));
    assert!(ids_in(&app, &staff, "/api/v1/deadlines?warning=yellow")
        .await
        .contains(&id));
    assert_eq!(supervise::tick(&app.state).await, 1);
    assert_eq!(supervise::tick(&app.state).await, 0, "a step fires once");
    assert_eq!(
        kinds_for(&notifications(&app, &housing).await, &id),
        ["routed", "warned"]
    );
    assert!(
        kinds_for(&notifications(&app, &water).await, &id).is_empty(),
        "another agency hears nothing"
    );
    assert!(timeline_kinds(&app, &staff, &id)
        .await
        .contains(&"deadline-warn".to_owned()));

    // Wednesday 00:00: red; handlers are told it is due, and 凤山街道's staff (the nearest) and the agency's contact
    // that it is overdue.
    app.state.clock.set(at("2026-12-02T00:00:01+08:00"));
    assert_eq!(
        app.get_json(&format!("/api/v1/issues/{id}"), &staff).await["warning"],
        "red"
    );
    assert_eq!(supervise::tick(&app.state).await, 1);
    assert_eq!(
        kinds_for(&notifications(&app, &housing).await, &id),
        ["due", "overdue", "routed", "warned"]
    );
    assert_eq!(kinds_for(&notifications(&app, &street).await, &id), ["overdue"]);
    assert!(
        kinds_for(&notifications(&app, &staff).await, &id).is_empty(),
        "the county hears later"
    );
    assert!(kinds_for(&notifications(&app, &beilun).await, &id).is_empty());
    let red = app.get_json("/api/v1/deadlines?warning=red", &staff).await;
    assert_eq!(red["items"][0]["issue_id"], id.as_str());
    assert_eq!(red["items"][0]["warning"], "red");
    assert!(
        ids_in(&app, &beilun, "/api/v1/deadlines?warning=red").await.is_empty(),
        "北仑 staff see their own"
    );
    assert!(
        ids_in(&app, &water, "/api/v1/deadlines").await.is_empty(),
        "水利局 sees its own"
    );
    let res = app
        .get(
            &format!(
                "/api/v1/deadlines?agency={}",
                issue["lead_agency"]["id"].as_str().expect("lead")
            ),
            &water,
        )
        .await;
    // Another agency is outside a handler's reach: not found, as every filter answers.
    assert_eq!(assert_problem(res, 404, "not_found").await["field"], "agency");
    assert_problem(app.get("/api/v1/deadlines", &deputy).await, 403, "forbidden").await;
    let inbox = app.get_json("/api/v1/inbox", &staff).await;
    let overdue = inbox["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["reason"] == "overdue")
        .expect("an overdue section");
    assert_eq!(overdue["items"][0]["warning"], "red");
    // The lead agency's handlers find it once, under overdue, which comes first — not again under to sign (issue
    // #35's seventh defect); another agency's handlers nowhere.
    let sections = |inbox: Value| -> Vec<(String, Vec<String>)> {
        inbox["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .map(|s| {
                let ids = s["items"].as_array().expect("items").iter();
                let ids = ids.filter_map(|i| i["id"].as_str().map(str::to_owned)).collect();
                (s["reason"].as_str().expect("reason").to_owned(), ids)
            })
            .collect()
    };
    let theirs = sections(app.get_json("/api/v1/inbox", &housing).await);
    let reasons: Vec<&str> = theirs.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(reasons, ["overdue", "to_sign", "to_reply", "urged"]);
    let holding: Vec<&str> = theirs
        .iter()
        .filter(|(_, ids)| ids.contains(&id))
        .map(|(r, _)| r.as_str())
        .collect();
    assert_eq!(holding, ["overdue"]);
    let others = sections(app.get_json("/api/v1/inbox", &water).await);
    assert!(others.iter().all(|(_, ids)| !ids.contains(&id)), "{others:?}");
    // The lists' colours are the row's own (kept by the deadlines' triggers): red now, neither yellow nor green.
    assert!(ids_in(&app, &staff, "/api/v1/issues?warning=red").await.contains(&id));
    assert!(!ids_in(&app, &staff, "/api/v1/issues?warning=yellow")
        .await
        .contains(&id));
    assert!(!ids_in(&app, &staff, "/api/v1/issues?warning=green").await.contains(&id));

    // A day later it is escalated: the street's staff hear again, and the county's with them; then nothing more.
    app.state.clock.advance(Duration::hours(24));
    assert_eq!(supervise::tick(&app.state).await, 1);
    assert_eq!(
        kinds_for(&notifications(&app, &street).await, &id),
        ["escalated", "overdue"]
    );
    assert_eq!(kinds_for(&notifications(&app, &staff).await, &id), ["escalated"]);
    assert!(kinds_for(&notifications(&app, &housing).await, &id).contains(&"escalated".to_owned()));
    app.state.clock.advance(Duration::days(30));
    assert_eq!(supervise::tick(&app.state).await, 0);

    // Signing ends the deadline: the issue is no longer red.
    command(&app, &housing, &id, "sign", &json!({})).await;
    let issue = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    assert_eq!(issue["warning"], "green", "the reply deadline just started");
    assert!(!ids_in(&app, &staff, "/api/v1/issues?warning=red").await.contains(&id));
    assert!(ids_in(&app, &staff, "/api/v1/issues?warning=green").await.contains(&id));
    let verified = app
        .get_json(&format!("/api/v1/issues/{id}/timeline/verify"), &staff)
        .await;
    assert_eq!(verified["intact"], true);
}

#[tokio::test]
async fn two_workers_never_act_twice_and_a_lost_schedule_loses_nothing() {
    let (app, deputy, staff, housing) = monday_with_deputy_staff_and_housing().await;
    let second = app.another_instance();
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(routed_issue(&app, &deputy, &staff, &format!("第{n}盏")).await);
    }
    supervise::rebuild(&app.state).await.expect("rebuilt");

    // Two workers take the yellow step of six deadlines at once: six reminders in all, one per issue.
    app.state.clock.set(at("2026-12-01T08:00:00+08:00"));
    let (a, b) = tokio::join!(supervise::tick(&app.state), supervise::tick(&second.state));
    assert_eq!(a + b, 6, "first worker {a}, second {b}");
    let heard = notifications(&app, &housing).await;
    for id in &ids {
        assert_eq!(kinds_for(&heard, id), ["routed", "warned"]);
    }

    // Redis loses everything this deployment had (what FLUSHALL does to it; the shared test server keeps other
    // tests' keys), and the deadlines pass while it is empty.
    app.forget_redis();
    app.state.clock.set(at("2026-12-02T09:00:00+08:00"));
    assert_eq!(supervise::tick(&app.state).await, 0, "an empty schedule finds nothing");
    // The worker notices the schedule is gone and rebuilds it from PostgreSQL; every passed step fires, once.
    let mut rebuilt = None;
    supervise::rebuild_when_needed(&second.state, &mut rebuilt).await;
    assert!(rebuilt.is_some());
    let (a, b) = tokio::join!(supervise::tick(&app.state), supervise::tick(&second.state));
    assert_eq!(a + b, 6);
    supervise::rebuild(&app.state).await.expect("rebuilt again");
    assert_eq!(
        supervise::tick(&app.state).await,
        0,
        "a rebuild does not fire anything twice"
    );
    let heard = notifications(&app, &housing).await;
    for id in &ids {
        assert_eq!(kinds_for(&heard, id), ["due", "routed", "warned"]);
        let due_events = timeline_kinds(&app, &staff, id)
            .await
            .into_iter()
            .filter(|k| k == "deadline-due")
            .count();
        assert_eq!(due_events, 1);
    }
}

#[tokio::test]
async fn a_batch_of_steps_passes_over_an_issue_a_command_holds_and_takes_it_after() {
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
    let (app, deputy, staff, housing) = monday_with_deputy_staff_and_housing().await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(routed_issue(&app, &deputy, &staff, &format!("第{n}盏")).await);
    }
    supervise::rebuild(&app.state).await.expect("rebuilt");

    // A command holds the first issue (its row locked in an open transaction) when the yellow steps fall due.
    let url = app.env.get("DATABASE_URL").expect("a database URL");
    let mut holder = AsyncPgConnection::establish(url).await.expect("connects");
    diesel::sql_query("BEGIN").execute(&mut holder).await.expect("begins");
    diesel::sql_query(format!("SELECT 1 FROM issues WHERE id = '{}' FOR UPDATE", ids[0]))
        .execute(&mut holder)
        .await
        .expect("locks");
    app.state.clock.set(at("2026-12-01T08:00:00+08:00"));
    let state = app.state.clone();
    let worker = tokio::spawn(async move { supervise::tick(&state).await });

    // The batch passes over it and settles the other four; the held one waits for its turn alone.
    let mut warned = Vec::new();
    for _ in 0..100 {
        let heard = notifications(&app, &housing).await;
        warned = ids
            .iter()
            .filter(|id| kinds_for(&heard, id).contains(&"warned".to_owned()))
            .cloned()
            .collect();
        if warned.len() == 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        warned,
        ids[1..].to_vec(),
        "the four free issues are warned while the first is held"
    );
    assert!(!worker.is_finished(), "the held issue's step waits for the lock");
    diesel::sql_query("COMMIT").execute(&mut holder).await.expect("commits");
    assert_eq!(worker.await.expect("the worker ends"), 5, "five steps, each once");
    assert_eq!(supervise::tick(&app.state).await, 0, "nothing is left to do");

    // Every timeline holds one reminder and still verifies.
    let heard = notifications(&app, &housing).await;
    for id in &ids {
        assert_eq!(kinds_for(&heard, id), ["routed", "warned"]);
        let kinds = timeline_kinds(&app, &staff, id).await;
        assert_eq!(kinds.iter().filter(|k| *k == "deadline-warn").count(), 1, "{kinds:?}");
        let verified = app
            .get_json(&format!("/api/v1/issues/{id}/timeline/verify"), &staff)
            .await;
        assert_eq!(verified["intact"], true, "{verified}");
    }
}

#[tokio::test]
async fn a_dead_workers_claims_are_taken_over_once_its_lease_runs_out() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_WORKER_LEASE_SECS".into(), "60".into());
    })
    .await;
    app.seed_demo().await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    app.state.clock.set(at("2026-11-30T09:00:00+08:00"));
    let id = routed_issue(&app, &deputy, &staff, "新建路").await;
    supervise::rebuild(&app.state).await.expect("rebuilt");
    app.state.clock.set(at("2026-12-01T08:00:00+08:00"));

    // A worker claims the step and dies before acting on it.
    let schedule = infra::schedule::Schedule::new(&app.state.redis);
    let claimed = schedule
        .claim(app.state.clock.now(), Duration::seconds(60), 10)
        .await
        .expect("claims");
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        supervise::tick(&app.state).await,
        0,
        "the claim holds while its lease runs"
    );
    app.state.clock.advance(Duration::seconds(61));
    assert_eq!(
        supervise::tick(&app.state).await,
        1,
        "then another worker takes it over"
    );
    assert_eq!(
        kinds_for(&notifications(&app, &housing).await, &id),
        ["routed", "warned"]
    );
}

#[tokio::test]
async fn citizens_hear_by_wechat_once_and_a_refusal_stops_the_messages() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |env| {
        env.insert(
            "MINSHENG_WECHAT_TEMPLATES".into(),
            "accepted=TPL-ACCEPTED,routed=TPL-ROUTED,replied=TPL-REPLIED,closed=TPL-CLOSED".into(),
        );
    })
    .await;
    let seed = app.seed_demo().await;
    let resident = citizen(&app, &fake, &seed, "resident-w").await;
    let other = citizen(&app, &fake, &seed, "resident-x").await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;

    // The mini-program asked for three templates: two accepted, one rejected. Unknown templates are refused.
    let res = app
        .post(
            "/api/v1/wechat/subscriptions",
            &resident,
            &json!({"answers": {"TPL-ACCEPTED": "accept", "TPL-ROUTED": "accept", "TPL-REPLIED": "reject"}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            "/api/v1/wechat/subscriptions",
            &resident,
            &json!({"answers": {"TPL-OTHER": "accept"}}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    assert_problem(
        app.post("/api/v1/wechat/subscriptions", &staff, &json!({"answers": {}}))
            .await,
        403,
        "forbidden",
    )
    .await;

    let issue = report(
        &app,
        &resident,
        &json!({"description": "新建路南段路灯不亮，晚上很黑。", "category_code": "streetlight"}),
    )
    .await;
    let id = issue["id"].as_str().expect("id").to_owned();
    command(&app, &staff, &id, "accept", &json!({})).await;
    assert_eq!(deliver::tick(&app.state).await, 1);
    assert_eq!(deliver::tick(&app.state).await, 0, "sent once");
    let sent = fake.subscribe_calls();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["template_id"], "TPL-ACCEPTED");
    assert_eq!(sent[0]["touser"], FakeWeChat::openid("resident-w"));
    assert_eq!(sent[0]["data"]["character_string1"]["value"], issue["number"]);

    // The citizen turned messages off in WeChat: 43101 is taken as their answer, not retried.
    fake.refuse_messages("resident-w");
    command(&app, &staff, &id, "route", &json!({})).await;
    assert_eq!(deliver::tick(&app.state).await, 1);
    app.state.clock.advance(Duration::hours(2));
    assert_eq!(deliver::tick(&app.state).await, 0);
    assert_eq!(fake.subscribe_calls().len(), 1);
    let subs = app.get_json("/api/v1/wechat/subscriptions", &resident).await;
    let routed = subs
        .as_array()
        .expect("subscriptions")
        .iter()
        .find(|s| s["template_id"] == "TPL-ROUTED")
        .expect("routed template");
    assert!(routed["refused_at"].is_string());
    assert_eq!(routed["credits"], 0);

    // A rejected template is never used; the in-app notifications all arrive, once each.
    command(&app, &housing, &id, "sign", &json!({})).await;
    command(
        &app,
        &housing,
        &id,
        "reply",
        &json!({"category": "A", "reply": "已修复。"}),
    )
    .await;
    assert_eq!(deliver::tick(&app.state).await, 0);
    let res = app.get("/api/v1/notifications", &resident).await;
    assert_eq!(res.headers()["x-unread-count"], "3");
    let mine: Value = res.json().await.expect("json");
    let mine = mine["items"].as_array().expect("items").clone();
    assert_eq!(kinds_for(&mine, &id), ["accepted", "replied", "routed"]);
    let first = mine[0]["id"].as_str().expect("id");
    let res = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/notifications/{first}/read"),
            Some(&other),
            None,
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/notifications/{first}/read"),
            Some(&resident),
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    let unread = app.get_json("/api/v1/notifications?unread=true", &resident).await;
    assert_eq!(unread["items"].as_array().map(Vec::len), Some(2));
    assert!(notifications(&app, &other).await.is_empty());
}

/// One delivery as the receiver saw it: headers and body.
pub(crate) type Delivered = (Vec<(String, String)>, Vec<u8>);

/// A stand-in agency system: records each delivery and answers from a script (then 200).
pub(crate) struct Receiver {
    pub(crate) url: String,
    pub(crate) seen: Arc<Mutex<Vec<Delivered>>>,
}

// Async although it awaits nothing: it spawns onto the caller's runtime, so it must be called inside one.
#[allow(clippy::unused_async)]
pub(crate) async fn receiver(statuses: Vec<u16>) -> Receiver {
    let seen: Arc<Mutex<Vec<Delivered>>> = Arc::default();
    let script = Arc::new(Mutex::new(statuses));
    let (s1, s2) = (seen.clone(), script.clone());
    let server = HttpServer::new(move || {
        let (seen, script) = (s1.clone(), s2.clone());
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
            let (seen, script) = (seen.clone(), script.clone());
            async move {
                let headers = req
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
                    .collect();
                seen.lock().expect("lock").push((headers, body.to_vec()));
                let mut script = script.lock().expect("lock");
                let status = if script.is_empty() { 200 } else { script.remove(0) };
                HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("status")).finish()
            }
        }))
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .expect("binds");
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    let _ = s2;
    Receiver {
        url: format!("http://127.0.0.1:{port}/minsheng"),
        seen,
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

#[tokio::test]
async fn agency_webhooks_are_signed_retried_and_given_up_visibly() {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_OUTBOX_MAX_ATTEMPTS".into(), "2".into());
        // The agency's system is a server of the test's own, on loopback: trusted here as an intranet would be.
        env.insert("MINSHENG_WEBHOOK_TRUSTED_NETWORKS".into(), "127.0.0.1/32".into());
    })
    .await;
    let seed = app.seed_demo().await;
    let _ = seed;
    let admin = app.admin_token().await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let beilun = app.sign_in(BEILUN_STAFF, PASSWORD).await;
    let deputy = app.sign_in(WANG_DEPUTY, PASSWORD).await;
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let housing_id = app.get_json("/api/v1/me", &housing).await["agency"]["id"]
        .as_str()
        .expect("agency")
        .to_owned();

    // 余姚's staff connect 住建局's system; 北仑's staff and a handler may not.
    let system = receiver(vec![500]).await;
    let secret = "whsec-minsheng-housing-2026";
    let body = json!({"agency_id": housing_id, "url": system.url, "secret": secret});
    assert_problem(app.post("/api/v1/webhooks", &beilun, &body).await, 404, "not_found").await;
    assert_problem(app.post("/api/v1/webhooks", &housing, &body).await, 403, "forbidden").await;
    let short = json!({"agency_id": housing_id, "url": system.url, "secret": "short"});
    let problem = assert_problem(
        app.post("/api/v1/webhooks", &staff, &short).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["field"], "secret");
    let res = app.post("/api/v1/webhooks", &staff, &body).await;
    assert_eq!(res.status(), 201);
    let hook: Value = res.json().await.expect("json");
    assert!(hook.get("secret").is_none(), "the secret is not shown back");

    // A routing is delivered, signed; the first answer is 500, so it is tried again after a pause.
    let id = routed_issue(&app, &deputy, &staff, "阳明路").await;
    assert_eq!(deliver::tick(&app.state).await, 1);
    assert_eq!(deliver::tick(&app.state).await, 0, "not before the pause");
    app.state.clock.advance(Duration::seconds(11));
    assert_eq!(deliver::tick(&app.state).await, 1);
    let deliveries = system.seen.lock().expect("lock").clone();
    assert_eq!(deliveries.len(), 2);
    let (headers, bytes) = &deliveries[1];
    let timestamp = header(headers, "x-minsheng-timestamp");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(bytes);
    let expected: String = mac.finalize().into_bytes().iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    assert_eq!(header(headers, "x-minsheng-signature"), format!("sha256={expected}"));
    assert_eq!(
        header(headers, "x-minsheng-delivery"),
        header(&deliveries[0].0, "x-minsheng-delivery")
    );
    let delivered: Value = serde_json::from_slice(bytes).expect("json");
    assert_eq!(delivered["kind"], "routed");
    assert_eq!(delivered["issue"]["id"], id.as_str());
    assert_ne!(
        header(headers, "x-minsheng-signature"),
        format!("sha256={}", "0".repeat(64)),
        "a tampered body would not verify"
    );

    // A system that never answers: after the configured attempts it is a dead letter admins can see and send again.
    let gone = json!({"agency_id": housing_id, "url": "http://127.0.0.1:9/nowhere", "secret": secret});
    assert_eq!(app.post("/api/v1/webhooks", &staff, &gone).await.status(), 201);
    command(&app, &deputy, &id, "urge", &json!({"note": "请尽快处理"})).await;
    assert_eq!(
        deliver::tick(&app.state).await,
        2,
        "the working system and the dead one"
    );
    app.state.clock.advance(Duration::seconds(11));
    assert_eq!(deliver::tick(&app.state).await, 1);
    assert_problem(app.get("/api/v1/outbox", &staff).await, 403, "forbidden").await;
    let dead = app.get_json("/api/v1/outbox?status=dead", &admin).await;
    let dead = dead["items"].as_array().expect("items").clone();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["kind"], "urged");
    assert_eq!(dead[0]["attempts"], 2);
    let retry = format!("/api/v1/outbox/{}/retry", dead[0]["id"].as_str().expect("id"));
    assert_eq!(
        app.call(reqwest::Method::POST, &retry, Some(&admin), None)
            .await
            .status(),
        204
    );
    let pending = app.get_json("/api/v1/outbox?status=pending", &admin).await;
    assert_eq!(pending["items"].as_array().map(Vec::len), Some(1));
    let res = app.call(reqwest::Method::POST, &retry, Some(&admin), None).await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn deputies_urge_mark_key_supervision_visit_and_follow_up() {
    let (app, deputy, staff, housing) = monday_with_deputy_staff_and_housing().await;
    let id = routed_issue(&app, &deputy, &staff, "舜水路").await;
    command(&app, &housing, &id, "sign", &json!({})).await;

    // 催办: the handlers hear at once, and their inbox lists it as urged; the same deputy may not urge again
    // within a day.
    let urged = |inbox: &Value| -> Vec<String> {
        inbox["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter(|s| s["reason"] == "urged")
            .flat_map(|s| s["items"].as_array().expect("items").iter())
            .filter_map(|i| i["id"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(urged(&app.get_json("/api/v1/inbox", &housing).await).is_empty());
    command(&app, &deputy, &id, "urge", &json!({"note": "群众反映强烈"})).await;
    assert!(kinds_for(&notifications(&app, &housing).await, &id).contains(&"urged".to_owned()));
    assert_eq!(
        urged(&app.get_json("/api/v1/inbox", &housing).await),
        std::slice::from_ref(&id)
    );
    let water = app.sign_in(WATER_HANDLER, PASSWORD).await;
    assert!(
        urged(&app.get_json("/api/v1/inbox", &water).await).is_empty(),
        "another agency's handler"
    );
    let res = app
        .post(&format!("/api/v1/issues/{id}/urge"), &deputy, &json!({}))
        .await;
    assert_problem(res, 429, "rate_limited").await;
    app.state.clock.advance(Duration::hours(25));
    command(&app, &deputy, &id, "urge", &json!({})).await;
    let res = app
        .post(&format!("/api/v1/issues/{id}/urge"), &housing, &json!({}))
        .await;
    assert_problem(res, 403, "forbidden").await;

    // 挂牌督办: the reply deadline turns yellow sooner; marking twice is the wrong state.
    let before = app.get_json(&format!("/api/v1/issues/{id}"), &staff).await;
    let warn_before = at(before["deadlines"][0]["warn_at"].as_str().expect("warn_at"));
    let marked = command(&app, &deputy, &id, "key-supervision", &json!({})).await;
    assert_eq!(marked["key_supervision"], true);
    let warn_after = at(marked["deadlines"][0]["warn_at"].as_str().expect("warn_at"));
    assert!(warn_after < warn_before, "{warn_after} should be before {warn_before}");
    let res = app
        .post(&format!("/api/v1/issues/{id}/key-supervision"), &deputy, &json!({}))
        .await;
    assert_problem(res, 409, "wrong_state").await;

    // 现场督办 with a photo; a follow-up only once the issue is closed.
    let photo: Value = upload(&app, &deputy, &jpeg_with_exif(), "visit.jpg")
        .await
        .json()
        .await
        .expect("json");
    let visited = command(
        &app,
        &deputy,
        &id,
        "site-visits",
        &json!({"note": "现场查看，灯杆已更换。", "photo_ids": [photo["id"]]}),
    )
    .await;
    assert_eq!(visited["photos"].as_array().map(Vec::len), Some(1));
    let res = app
        .post(
            &format!("/api/v1/issues/{id}/follow-ups"),
            &deputy,
            &json!({"came_back": true, "note": "又坏了"}),
        )
        .await;
    assert_problem(res, 409, "wrong_state").await;
    command(
        &app,
        &housing,
        &id,
        "reply",
        &json!({"category": "A", "reply": "已修复。"}),
    )
    .await;
    command(&app, &deputy, &id, "ratings", &json!({"rating": "satisfied"})).await;

    // 回头看 a month later: the light failed again, so the issue reopens for a new round.
    app.state.clock.advance(Duration::days(30));
    let still = command(
        &app,
        &deputy,
        &id,
        "follow-ups",
        &json!({"came_back": false, "note": "运行正常"}),
    )
    .await;
    assert_eq!(still["status"], "closed");
    let reopened = command(
        &app,
        &deputy,
        &id,
        "follow-ups",
        &json!({"came_back": true, "note": "又不亮了"}),
    )
    .await;
    assert_eq!(reopened["status"], "reopened");
    assert_eq!(reopened["round"], 2);
    let kinds = timeline_kinds(&app, &staff, &id).await;
    for k in ["urge", "key-supervision", "site-visit", "follow-up"] {
        assert!(kinds.contains(&k.to_owned()), "{k} in {kinds:?}");
    }
}
