//! 民生实事项目代表票决制 end to end: 兰州's ballot of 13 candidate projects for 10 seats by 304 deputies, one vote per
//! deputy under concurrent voting, the secrecy of the papers with full database access, the published results, and
//! an elected project's milestone supervised to a red warning with reminders.

use crate::issues::sql;
use crate::supervision::notifications;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use blind_rsa_signatures::{BlindSignature, Options, PublicKey};
use chrono::Duration;
use diesel::sql_types::{BigInt, Bytea, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures_util::{stream, StreamExt};
use minsheng_api::worker::supervise;
use minsheng_tests::{assert_problem, TestApp};
use rand::seq::SliceRandom;
use rand::RngCore;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

const LANZHOU_PROJECTS: [&str; 13] = [
    "新建改扩建公办幼儿园",
    "老旧小区改造",
    "城市道路微循环改造",
    "农村饮水安全巩固提升",
    "社区嵌入式养老服务",
    "中小学校供暖改造",
    "城区公厕新建提升",
    "便民停车场建设",
    "黄河风情线绿化提升",
    "基层医疗机构能力提升",
    "农贸市场标准化改造",
    "公共文化服务设施提升",
    "残疾人康复服务提升",
];

/// A service whose sign-in limits let a whole congress sign in from one address.
async fn congress() -> (TestApp, minsheng_api::seed::SeedReport) {
    let app = TestApp::spawn_with(|env| {
        env.insert("MINSHENG_SIGNIN_LIMIT_PER_IP".into(), "1000000".into());
    })
    .await;
    let seed = app.seed_demo().await;
    (app, seed)
}

/// `n` deputies of 余姚 (330281), made directly in the database (one password hash for all: hashing 304 times would
/// only test argon2), each signed in through the API. Answers (id, access token).
pub(crate) async fn deputies(app: &TestApp, n: usize) -> Vec<(String, String)> {
    let hash = infra::password::hash("deputy-password").expect("hashes");
    let batch = Uuid::new_v4().simple().to_string();
    let mut ids = Vec::new();
    let mut values = Vec::new();
    for i in 0..n {
        let id = Uuid::now_v7();
        let phone = format!(
            "17{}{:04}",
            &batch[..5]
                .bytes()
                .map(|b| char::from(b'0' + b % 10))
                .collect::<String>(),
            i
        );
        values.push(format!(
            "('{id}', 'deputy', '代表{i:03}', '{phone}', '{hash}', '330281', 'county')"
        ));
        ids.push((id.to_string(), phone));
    }
    sql(
        app,
        &format!(
            "INSERT INTO users (id, role, name, phone, password_hash, region_code, deputy_level) VALUES {}",
            values.join(", ")
        ),
    )
    .await;
    stream::iter(ids)
        .map(|(id, phone)| async move {
            let token = app.sign_in(&phone, "deputy-password").await;
            (id, token)
        })
        .buffered(8)
        .collect()
        .await
}

fn staff_of<'a>(seed: &'a minsheng_api::seed::SeedReport, phone: &str) -> &'a str {
    seed.accounts
        .iter()
        .find(|a| a.phone == phone)
        .expect("seeded")
        .phone
        .as_str()
}

pub(crate) async fn agency_id(app: &TestApp, token: &str, name: &str) -> String {
    let page = app.get_json("/api/v1/agencies?limit=100", token).await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["name"] == name)
        .expect("seeded agency")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// A deputy's client: a random token, blinded with the ballot's key, signed at check-in, unblinded.
pub(crate) struct Voter {
    token: [u8; 32],
    blinded: blind_rsa_signatures::BlindingResult,
}

impl Voter {
    pub(crate) fn new(public_key: &PublicKey) -> Self {
        let mut token = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut token);
        let blinded = public_key
            .blind(&mut rand::thread_rng(), token, false, &Options::default())
            .expect("blinds");
        Voter { token, blinded }
    }

    pub(crate) fn check_in_body(&self) -> Value {
        json!({"blinded_token": STANDARD.encode(&self.blinded.blind_msg.0)})
    }

    pub(crate) fn paper(&self, public_key: &PublicKey, answer: &Value, choices: &[String]) -> Value {
        let blind_sig = STANDARD
            .decode(answer["blind_signature"].as_str().expect("a blind signature"))
            .expect("base64");
        let sig = public_key
            .finalize(
                &BlindSignature::new(blind_sig),
                &self.blinded.secret,
                None,
                self.token,
                &Options::default(),
            )
            .expect("the service's signature unblinds and verifies");
        json!({"token": STANDARD.encode(self.token), "signature": STANDARD.encode(&sig.0), "choices": choices})
    }
}

pub(crate) async fn cast(app: &TestApp, ballot: &str, paper: &Value) -> reqwest::Response {
    app.call(
        Method::POST,
        &format!("/api/v1/ballots/{ballot}/papers"),
        None,
        Some(paper),
    )
    .await
}

#[derive(QueryableByName, Debug)]
struct Row {
    #[diesel(sql_type = Text)]
    xmin: String,
    #[diesel(sql_type = Text)]
    ctid: String,
    #[diesel(sql_type = Bytea)]
    hash: Vec<u8>,
}

async fn rows(app: &TestApp, query: &str) -> Vec<Row> {
    let url = app.env.get("DATABASE_URL").expect("a database URL");
    let mut conn = AsyncPgConnection::establish(url).await.expect("connects");
    diesel::sql_query(query).load(&mut conn).await.expect(query)
}

#[tokio::test]
async fn lanzhou_elects_ten_of_thirteen_by_secret_ballot_one_vote_per_deputy() {
    let (app, seed) = congress().await;
    let staff = app.sign_in(staff_of(&seed, "13900000001"), seed.password).await;
    let beilun_staff = app.sign_in(staff_of(&seed, "13900000003"), seed.password).await;
    let agency = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let roster = deputies(&app, 304).await;
    let now = app.state.clock.now();
    let candidates: Vec<Value> = LANZHOU_PROJECTS
        .iter()
        .map(|t| json!({"title": t, "summary": format!("{t}：年内完成。"), "agency_id": agency, "budget_yuan": 10_000_000}))
        .collect();
    let body = json!({
        "region_code": "330281",
        "title": "2026年民生实事项目代表票决",
        "session": "第十七届人民代表大会第四次会议",
        "seats": 10,
        "opens_at": now - Duration::minutes(1),
        "closes_at": now + Duration::hours(1),
        "roster": roster.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "candidates": candidates,
    });
    // Bad input is refused whole: 13 for 13 is no choice, a roster naming a handler is not a congress.
    let mut same = body.clone();
    same["seats"] = json!(13);
    assert_problem(
        app.post("/api/v1/ballots", &staff, &same).await,
        422,
        "validation_failed",
    )
    .await;
    let mut wrong = body.clone();
    wrong["roster"][5] = json!(
        seed.accounts
            .iter()
            .find(|a| a.phone == "13900000021")
            .expect("handler")
            .id
    );
    let p = assert_problem(
        app.post("/api/v1/ballots", &staff, &wrong).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["field"], "roster[5]");
    assert_eq!(sql(&app, "SELECT 1 FROM ballots").await, 0, "nothing half-written");

    let res = app.post("/api/v1/ballots", &staff, &body).await;
    assert_eq!(res.status(), 201);
    let ballot: Value = res.json().await.expect("json");
    let id = ballot["id"].as_str().expect("id").to_owned();
    assert_eq!(ballot["phase"], "open");
    assert_eq!(ballot["roster_size"], 304);
    let projects: Vec<String> = ballot["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(projects.len(), 13);
    let public_key = PublicKey::from_pem(ballot["public_key"].as_str().expect("pem")).expect("a public key");

    // Who may see it: its staff and its roster; another county's staff and a deputy not on the roster get 404.
    let path = format!("/api/v1/ballots/{id}");
    assert_eq!(app.get(&path, &roster[0].1).await.status(), 200);
    assert_eq!(app.get(&path, &beilun_staff).await.status(), 404);
    let outsider = app.sign_in(staff_of(&seed, "13900000014"), seed.password).await;
    assert_eq!(app.get(&path, &outsider).await.status(), 404);
    let not_on_roster = Voter::new(&public_key);
    let res = app
        .post(&format!("{path}/check-in"), &outsider, &not_on_roster.check_in_body())
        .await;
    assert_problem(res, 404, "not_found").await;
    // A deputy on the roster sees the ballot but does not close it.
    assert_problem(
        app.post(&format!("{path}/close"), &roster[0].1, &json!({})).await,
        403,
        "forbidden",
    )
    .await;

    // 300 of the 304 vote (4 abstain). The first 20 each try three tokens at once: exactly one is signed.
    let voting: Vec<(String, String)> = roster[..300].to_vec();
    let checked: Vec<(String, Voter, Value)> = stream::iter(voting.iter().enumerate())
        .map(|(i, (_, token))| {
            let (app, path, public_key) = (&app, &path, &public_key);
            async move {
                let tries = if i < 20 { 3 } else { 1 };
                let voters: Vec<Voter> = (0..tries).map(|_| Voter::new(public_key)).collect();
                let url = format!("{path}/check-in");
                let bodies: Vec<Value> = voters.iter().map(Voter::check_in_body).collect();
                let answers = futures_util::future::join_all(bodies.iter().map(|b| app.post(&url, token, b))).await;
                let mut signed = Vec::new();
                for (v, res) in voters.into_iter().zip(answers) {
                    match res.status().as_u16() {
                        200 => signed.push((token.clone(), v, res.json::<Value>().await.expect("json"))),
                        409 => {}
                        other => panic!("check-in answered {other}"),
                    }
                }
                assert_eq!(signed.len(), 1, "one deputy, one signed token");
                signed.pop().expect("one")
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    // A retry with the same blinded token is signed again (its answer was lost); another token is refused.
    let (deputy, voter, answer) = &checked[0];
    let again: Value = app
        .post(&format!("{path}/check-in"), deputy, &voter.check_in_body())
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(&again, answer);
    let res = app
        .post(
            &format!("{path}/check-in"),
            deputy,
            &Voter::new(&public_key).check_in_body(),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
    assert_eq!(
        sql(
            &app,
            &format!("SELECT 1 FROM ballot_roster WHERE ballot_id = '{id}' AND blinded_hash IS NOT NULL")
        )
        .await,
        300
    );

    // Papers: 200 for projects 0–9, 100 for 3–12, cast in an order of their own, concurrently.
    let mut papers: Vec<Value> = checked
        .iter()
        .enumerate()
        .map(|(i, (_, voter, answer))| {
            let picks: Vec<String> = if i < 200 {
                projects[..10].to_vec()
            } else {
                projects[3..].to_vec()
            };
            voter.paper(&public_key, answer, &picks)
        })
        .collect();
    papers.shuffle(&mut rand::thread_rng());
    let receipts: Vec<String> = stream::iter(papers.iter())
        .map(|paper| {
            let (app, id) = (&app, &id);
            async move {
                let res = cast(app, id, paper).await;
                assert_eq!(res.status(), 201);
                res.json::<Value>().await.expect("json")["receipt"]
                    .as_str()
                    .expect("receipt")
                    .to_owned()
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    assert_eq!(receipts.iter().collect::<HashSet<_>>().len(), 300);

    // The same paper again answers the same receipt; other choices with a spent token, a forged token, too many
    // choices, or a paper that names its sender are refused.
    let res = cast(&app, &id, &papers[0]).await;
    assert_eq!(res.status(), 200);
    let mut other = papers[0].clone();
    other["choices"] = json!([projects[12]]);
    assert_problem(cast(&app, &id, &other).await, 409, "conflict").await;
    let mut forged = papers[1].clone();
    forged["token"] = json!(STANDARD.encode([9u8; 32]));
    assert_problem(cast(&app, &id, &forged).await, 403, "forbidden").await;
    let mut greedy = papers[1].clone();
    greedy["choices"] = json!(projects[..11]);
    let p = assert_problem(cast(&app, &id, &greedy).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "too_many");
    let res = app
        .post(&format!("/api/v1/ballots/{id}/papers"), &roster[0].1, &papers[1])
        .await;
    let p = assert_problem(res, 400, "invalid_header").await;
    assert_eq!(p["field"], "Authorization");

    // With full access to the database, nothing joins a paper to a deputy: the papers hold no account, no time and no
    // id; no paper was written in a check-in's transaction; no stored hash of a blinded token is a token's.
    let columns = rows(
        &app,
        "SELECT column_name AS xmin, data_type AS ctid, ''::bytea AS hash FROM information_schema.columns \
         WHERE table_name = 'ballot_papers' ORDER BY column_name",
    )
    .await;
    let columns: Vec<(&str, &str)> = columns.iter().map(|r| (r.xmin.as_str(), r.ctid.as_str())).collect();
    assert_eq!(
        columns,
        vec![
            ("ballot_id", "uuid"),
            ("choices", "ARRAY"),
            ("receipt_hash", "bytea"),
            ("token_hash", "bytea")
        ]
    );
    let roster_rows = rows(
        &app,
        &format!("SELECT xmin::text AS xmin, ctid::text AS ctid, blinded_hash AS hash FROM ballot_roster WHERE ballot_id = '{id}' AND blinded_hash IS NOT NULL"),
    )
    .await;
    assert_eq!(roster_rows.len(), 300);
    // The papers are held as they came, until the worker settles them among the ballot's papers.
    let paper_rows = rows(
        &app,
        &format!("SELECT xmin::text AS xmin, ctid::text AS ctid, token_hash AS hash FROM ballot_papers_held WHERE ballot_id = '{id}'"),
    )
    .await;
    assert_eq!(paper_rows.len(), 300);
    let check_in_xids: HashSet<&str> = roster_rows.iter().map(|r| r.xmin.as_str()).collect();
    assert!(paper_rows.iter().all(|p| !check_in_xids.contains(p.xmin.as_str())));
    let blinded: HashSet<&[u8]> = roster_rows.iter().map(|r| r.hash.as_slice()).collect();
    assert!(paper_rows.iter().all(|p| !blinded.contains(p.hash.as_slice())));

    // Closing early while 4 have not cast is refused; after the closing time it tallies, once.
    assert_problem(
        app.post(&format!("{path}/close"), &staff, &json!({})).await,
        409,
        "conflict",
    )
    .await;
    assert_eq!(
        app.call(Method::GET, &format!("{path}/results"), None, None)
            .await
            .status(),
        404
    );
    app.state.clock.advance(Duration::hours(2));
    assert_problem(cast(&app, &id, &papers[1]).await, 409, "conflict").await;
    let res = app.post(&format!("{path}/close"), &staff, &json!({})).await;
    assert_eq!(res.status(), 200);
    let results: Value = res.json().await.expect("json");
    assert_eq!(results["cast"], 300);
    assert_eq!(results["roster_size"], 304);
    assert_eq!(results["turnout_percent"], 98.7);
    let elected: Vec<&str> = results["elected"]
        .as_array()
        .expect("elected")
        .iter()
        .map(|r| r["project_id"].as_str().expect("id"))
        .collect();
    // 3–9 have 300 votes, 0–2 have 200; 10–12 have 100, not more than half of 300.
    let expected: Vec<&str> = projects[3..10]
        .iter()
        .chain(&projects[..3])
        .map(String::as_str)
        .collect();
    assert_eq!(
        elected[..7].iter().collect::<HashSet<_>>(),
        expected[..7].iter().collect::<HashSet<_>>()
    );
    assert_eq!(
        elected[7..].iter().collect::<HashSet<_>>(),
        expected[7..].iter().collect::<HashSet<_>>()
    );
    let tally: HashMap<&str, i64> = results["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| {
            (
                c["project_id"].as_str().expect("id"),
                c["votes"].as_i64().expect("votes"),
            )
        })
        .collect();
    assert_eq!(tally[projects[0].as_str()], 200);
    assert_eq!(tally[projects[5].as_str()], 300);
    assert_eq!(tally[projects[12].as_str()], 100);
    assert_eq!(results["counts"][12]["passed"], false);
    assert_eq!(results["open_seats"], 0);
    assert_problem(
        app.post(&format!("{path}/close"), &staff, &json!({})).await,
        409,
        "conflict",
    )
    .await;

    // Published to anyone; a receipt shows its paper was counted, and says nothing more.
    let public = app.call(Method::GET, &format!("{path}/results"), None, None).await;
    assert_eq!(public.status(), 200);
    let check: Value = app
        .call(Method::GET, &format!("{path}/receipts/{}", receipts[17]), None, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(check, json!({"receipt": receipts[17], "counted": true}));
    let check: Value = app
        .call(Method::GET, &format!("{path}/receipts/{}", "0".repeat(20)), None, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(check["counted"], false);

    // After the tally the papers were rewritten in one transaction, in receipt order: their xmin and ctid say nothing
    // of when each was cast.
    let after = rows(
        &app,
        &format!("SELECT xmin::text AS xmin, ctid::text AS ctid, receipt_hash AS hash FROM ballot_papers WHERE ballot_id = '{id}' ORDER BY ballot_papers.ctid"),
    )
    .await;
    assert_eq!(after.len(), 300);
    assert_eq!(after.iter().map(|r| r.xmin.as_str()).collect::<HashSet<_>>().len(), 1);
    let hashes: Vec<&[u8]> = after.iter().map(|r| r.hash.as_slice()).collect();
    let mut sorted = hashes.clone();
    sorted.sort_unstable();
    assert!(hashes == sorted, "the papers lie in receipt order");
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[tokio::test]
async fn an_elected_projects_milestone_turns_yellow_then_red_and_its_agency_is_reminded() {
    let (app, seed) = congress().await;
    let staff = app.sign_in(staff_of(&seed, "13900000001"), seed.password).await;
    let handler = app.sign_in(staff_of(&seed, "13900000021"), seed.password).await;
    let agency = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let roster = deputies(&app, 3).await;
    let today = app.state.clock.now().with_timezone(&domain_shanghai()).date_naive();
    let candidates = json!([
        {"title": "老旧小区加装电梯", "summary": "年内加装50台。", "agency_id": agency, "budget_yuan": 30_000_000,
         "milestones": [{"title": "完成施工招标", "planned_on": today + Duration::days(10)}]},
        {"title": "城区公厕新建", "summary": "新建20座。", "agency_id": agency, "budget_yuan": 8_000_000},
    ]);
    let (id, _) = elect(&app, &staff, &roster, &candidates).await;
    let milestone = |b: &Value| b["candidates"][0]["milestones"][0].clone();
    let view = app.get_json(&format!("/api/v1/ballots/{id}"), &staff).await;
    assert_eq!(milestone(&view)["warning"], "green");
    assert_eq!(supervise::tick(&app.state).await, 0, "nothing is due yet");

    // Two thirds of the way: yellow, and the agency's handlers are reminded once.
    app.state.clock.advance(Duration::days(8));
    assert_eq!(supervise::tick(&app.state).await, 1);
    assert_eq!(supervise::tick(&app.state).await, 0, "a step fires once");
    let view = app.get_json(&format!("/api/v1/ballots/{id}"), &staff).await;
    assert_eq!(milestone(&view)["warning"], "yellow");
    let kinds: Vec<String> = notifications(&app, &handler)
        .await
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(kinds, vec!["milestone_warned"]);

    // Past the planned day: red; the handlers and the region's staff hear it is overdue.
    app.state.clock.advance(Duration::days(3));
    assert_eq!(supervise::tick(&app.state).await, 1);
    let view = app.get_json(&format!("/api/v1/ballots/{id}"), &staff).await;
    assert_eq!(milestone(&view)["warning"], "red");
    let kinds: Vec<String> = notifications(&app, &handler)
        .await
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(kinds.contains(&"milestone_due".to_owned()), "{kinds:?}");
    assert!(notifications(&app, &staff)
        .await
        .iter()
        .any(|n| n["kind"] == "milestone_due"));

    // The agency names a contact (督办联系人): escalation reaches them, by the same table an issue's deadline steps
    // are told by.
    let handler_id = app.get_json("/api/v1/me", &handler).await["id"].clone();
    let updated = app
        .patch_json(
            &format!("/api/v1/agencies/{agency}"),
            &staff,
            &json!({"contact_id": handler_id}),
        )
        .await;
    assert_eq!(updated["contact_id"], handler_id);

    // Losing Redis loses nothing: the rebuild puts the escalation back from PostgreSQL.
    app.forget_redis();
    supervise::rebuild(&app.state).await.expect("rebuilds");
    app.state.clock.advance(Duration::days(2));
    assert_eq!(
        supervise::tick(&app.state).await,
        1,
        "the escalation, from the rebuilt schedule"
    );
    let url = app.env.get("DATABASE_URL").expect("a database URL");
    let mut conn = AsyncPgConnection::establish(url).await.expect("connects");
    let escalated: Vec<Count> =
        diesel::sql_query("SELECT count(*) AS n FROM notifications WHERE kind = 'milestone_escalated'")
            .load(&mut conn)
            .await
            .expect("counts");
    assert!(escalated[0].n >= 1);
    assert!(
        notifications(&app, &handler)
            .await
            .iter()
            .any(|n| n["kind"] == "milestone_escalated"),
        "the agency's contact hears of the escalation"
    );
}

/// A ballot of 余姚 for one seat among `candidates`, whose `roster` all check in and vote for the first candidate;
/// staff close it. Answers the ballot's id and the elected project's id.
pub(crate) async fn elect(
    app: &TestApp,
    staff: &str,
    roster: &[(String, String)],
    candidates: &Value,
) -> (String, String) {
    let now = app.state.clock.now();
    let body = json!({
        "region_code": "330281",
        "title": "2026年民生实事项目代表票决",
        "session": "第十七届人民代表大会第六次会议",
        "seats": 1,
        "threshold": "0/1",
        "opens_at": now - Duration::minutes(1),
        "closes_at": now + Duration::days(1),
        "roster": roster.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "candidates": candidates,
    });
    let res = app.post("/api/v1/ballots", staff, &body).await;
    assert_eq!(res.status(), 201);
    let ballot: Value = res.json().await.expect("json");
    let id = ballot["id"].as_str().expect("id").to_owned();
    let first = ballot["candidates"][0]["id"].as_str().expect("id").to_owned();
    if let Some(milestone) = ballot["candidates"][0]["milestones"].get(0) {
        assert_eq!(milestone["warning"], Value::Null, "not a deadline before the vote");
    }
    let public_key = PublicKey::from_pem(ballot["public_key"].as_str().expect("pem")).expect("a public key");
    for (_, token) in roster {
        let voter = Voter::new(&public_key);
        let answer: Value = app
            .post(&format!("/api/v1/ballots/{id}/check-in"), token, &voter.check_in_body())
            .await
            .json()
            .await
            .expect("json");
        let res = cast(
            app,
            &id,
            &voter.paper(&public_key, &answer, std::slice::from_ref(&first)),
        )
        .await;
        assert_eq!(res.status(), 201);
    }
    // Everyone on the roster cast: staff may close before the closing time.
    let results: Value = app
        .post(&format!("/api/v1/ballots/{id}/close"), staff, &json!({}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(results["elected"][0]["project_id"], first);
    (id, first)
}

pub(crate) fn domain_shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}

/// Checks a deputy in (signed in), then casts their paper as the console does: in a step of its own, on a connection
/// of its own (a client that has never spoken to the service), after the check-in's answer. Answers the receipt.
async fn vote_the_consoles_way(base: &str, ballot: &str, public_key: &PublicKey, token: &str, choice: &str) -> String {
    let voter = Voter::new(public_key);
    let signed_in = reqwest::Client::new();
    let res = signed_in
        .post(format!("{base}/api/v1/ballots/{ballot}/check-in"))
        .bearer_auth(token)
        .json(&voter.check_in_body())
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["connection"],
        "close",
        "the check-in's connection ends with it"
    );
    let answer: Value = res.json().await.expect("json");
    let fresh = reqwest::Client::new();
    let res = fresh
        .post(format!("{base}/api/v1/ballots/{ballot}/papers"))
        .json(&voter.paper(public_key, &answer, &[choice.to_owned()]))
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.expect("json")["receipt"]
        .as_str()
        .expect("a receipt")
        .to_owned()
}

#[tokio::test]
async fn papers_cast_the_consoles_way_keep_no_trace_of_when_each_came_in_rows_transactions_or_logs() {
    let (app, seed) = congress().await;
    let staff = app.sign_in(staff_of(&seed, "13900000001"), seed.password).await;
    let agency = agency_id(&app, &staff, "余姚市住房和城乡建设局").await;
    let roster = deputies(&app, 12).await;
    let now = app.state.clock.now();
    let body = json!({
        "region_code": "330281", "title": "2027年民生实事项目代表票决", "session": "第十七届人民代表大会第七次会议",
        "seats": 1, "threshold": "0/1",
        "opens_at": now - Duration::minutes(1), "closes_at": now + Duration::hours(1),
        "roster": roster.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "candidates": [
            {"title": "加装电梯", "summary": "年内完成。", "agency_id": agency, "budget_yuan": 1},
            {"title": "新建公厕", "summary": "年内完成。", "agency_id": agency, "budget_yuan": 1},
        ],
    });
    let ballot: Value = app
        .post("/api/v1/ballots", &staff, &body)
        .await
        .json()
        .await
        .expect("json");
    let id = ballot["id"].as_str().expect("id").to_owned();
    let choice = ballot["candidates"][0]["id"].as_str().expect("id").to_owned();
    let public_key = PublicKey::from_pem(ballot["public_key"].as_str().expect("pem")).expect("a public key");

    // The deputies vote one after another through the binary, logging everything it logs.
    let served = minsheng_tests::Binary::serve(&app.env, "trace").await;
    let mut receipts = Vec::new();
    for (_, token) in &roster {
        receipts.push(vote_the_consoles_way(&served.base, &id, &public_key, token, &choice).await);
    }
    let logs = served.stop();
    assert!(logs.contains("check-in"), "the log is read: the check-ins are in it");
    for trace in ["/papers", "ballot_papers"] {
        assert!(
            !logs.contains(trace),
            "a paper's request or statement is in the log ({trace})"
        );
    }

    // Held, each is already in: its receipt says so.
    let path = format!("/api/v1/ballots/{id}/receipts/{}", receipts[3]);
    let check: Value = app
        .call(Method::GET, &path, None, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(check["counted"], true);
    assert_eq!(
        sql(&app, &format!("SELECT 1 FROM ballot_papers WHERE ballot_id = '{id}'")).await,
        0
    );

    // The worker settles them as one batch: one transaction for all, in an order that is not the order of arrival,
    // and the holding table keeps no dead rows with their transactions.
    let settled = minsheng_api::app::papers::settle_due(&app.state, || 0.0)
        .await
        .expect("settles");
    assert_eq!(settled, 12);
    assert_eq!(
        sql(
            &app,
            &format!("SELECT 1 FROM ballot_papers_held WHERE ballot_id = '{id}'")
        )
        .await,
        0
    );
    let stored = rows(
        &app,
        &format!("SELECT xmin::text AS xmin, ctid::text AS ctid, receipt_hash AS hash FROM ballot_papers WHERE ballot_id = '{id}' ORDER BY ctid"),
    )
    .await;
    assert_eq!(stored.len(), 12);
    assert_eq!(
        stored.iter().map(|r| r.xmin.as_str()).collect::<HashSet<_>>().len(),
        1,
        "one batch, one transaction"
    );
    let arrival: HashMap<Vec<u8>, usize> = receipts
        .iter()
        .enumerate()
        .map(|(i, r)| (infra::ballot_key::digest(r.as_bytes()), i))
        .collect();
    let order: Vec<usize> = stored.iter().map(|r| arrival[&r.hash]).collect();
    let ascending: Vec<usize> = (0..12).collect();
    let descending: Vec<usize> = (0..12).rev().collect();
    assert!(
        order != ascending && order != descending,
        "the rows lie in the order the papers came: {order:?}"
    );
    let roster_xids = rows(
        &app,
        &format!("SELECT xmin::text AS xmin, ctid::text AS ctid, ''::bytea AS hash FROM ballot_roster WHERE ballot_id = '{id}'"),
    )
    .await;
    let paper_xid: u64 = stored[0].xmin.parse().expect("a transaction id");
    let after_a_check_in = roster_xids
        .iter()
        .filter(|r| r.xmin.parse::<u64>().is_ok_and(|x| x + 1 == paper_xid))
        .count();
    assert!(
        after_a_check_in <= 1,
        "papers' transactions follow check-ins one by one"
    );
}
