//! `minsheng-demo`: the demo county at work, so every screen a newcomer opens shows something real. A tool of its own
//! (scripts/run and the tests run it), not part of the service's binary: it is an HTTP client of the service.
//!
//! Five weeks of issues are played through the service itself — its HTTP API on a loopback port of this process,
//! on a clock that starts five weeks ago and is moved forward event by event — so every issue, timeline, deadline,
//! warning, rating, ballot paper and project is exactly what the loop would have made: the same commands, the same
//! rules, the same hash chains. Nothing is written around the API but the demo citizens' accounts (WeChat cannot be
//! asked here), made as a WeChat sign-in would make them.
//!
//! A second run finds the first story's issue and changes nothing.

use anyhow::{bail, Context};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use blind_rsa_signatures::{BlindSignature, Options, PublicKey};
use chrono::{DateTime, Duration, Utc};
use infra::config::Config;
use minsheng_api::auth::session::{self, Method};
use minsheng_api::seed::SeedReport;
use minsheng_api::startup::{self, Application};
use rand::RngCore;
use reqwest::Method as Http;
use serde_json::{json, Value};
use std::collections::HashMap;

const STAFF: &str = "13900000001";
const ADMIN: &str = "13900000000";
const WANG: &str = "13900000011";
const LI: &str = "13900000012";
const ZHANG: &str = "13900000013";
const FENGSHAN: &str = "凤山街道人大代表联络站";
const YANGMING: &str = "阳明街道代表之家";
const SIMEN: &str = "泗门镇人大代表联络站";
const DAYS: i64 = 35;

/// Who reported it.
#[derive(Clone, Copy)]
enum Reporter {
    Citizen(&'static str),
    Deputy(&'static str),
}

/// How far the loop has taken it by today.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Submitted,
    Declined,
    Merged,
    Accepted,
    Routed,
    Signed,
    InProgress,
    ExtensionPending,
    Replied,
    Satisfied,
    Dissatisfied,
    KeySupervised,
}

struct Story {
    reporter: Reporter,
    station: &'static str,
    category: &'static str,
    title: &'static str,
    description: &'static str,
    address: &'static str,
    point: (f64, f64),
    fate: Fate,
}

/// A story: who, where, what (title, description), the place (address, latitude and longitude), and its fate.
const fn story(
    reporter: Reporter,
    station: &'static str,
    category: &'static str,
    (title, description): (&'static str, &'static str),
    (address, point): (&'static str, (f64, f64)),
    fate: Fate,
) -> Story {
    Story {
        reporter,
        station,
        category,
        title,
        description,
        address,
        point,
        fate,
    }
}

use Fate::{
    Accepted, Declined, Dissatisfied, ExtensionPending, InProgress, KeySupervised, Merged, Replied, Routed, Satisfied,
    Signed, Submitted,
};
use Reporter::{Citizen, Deputy};

/// Oldest first, one reported about every day; the first one's title marks the story as loaded. Replies waiting
/// for a rating are among the last: a reply unrated for seven days closes, as the worker would do at once.
const STORIES: &[Story] = &[
    story(
        Citizen("demo-citizen-1"),
        FENGSHAN,
        "streetlight",
        (
            "新建路路灯连续不亮",
            "新建路南段连续五盏路灯一周没亮，晚上接孩子放学路上很黑，电动车多，存在安全隐患。",
        ),
        ("凤山街道新建路南段", (30.0402, 121.1521)),
        Satisfied,
    ),
    story(
        Citizen("demo-citizen-5"),
        FENGSHAN,
        "streetlight",
        ("新建路南段路灯不亮", "新建路南段路灯还是不亮，走夜路看不清。"),
        ("凤山街道新建路南段", (30.0403, 121.1522)),
        Merged,
    ),
    story(
        Deputy(WANG),
        FENGSHAN,
        "road_damage",
        (
            "舜水南路人行道砖块松动",
            "舜水南路人行道多处砖块松动翘起，雨天踩上去溅水，老人容易绊倒。",
        ),
        ("凤山街道舜水南路", (30.0371, 121.1548)),
        Satisfied,
    ),
    story(
        Citizen("demo-citizen-2"),
        YANGMING,
        "garbage",
        (
            "小区垃圾清运不及时",
            "阳明花园东门垃圾桶每天中午前就满了，下午才来清运，夏天气味很大。",
        ),
        ("阳明街道阳明花园东门", (30.0468, 121.1602)),
        Dissatisfied,
    ),
    story(
        Citizen("demo-citizen-3"),
        SIMEN,
        "drainage",
        (
            "下雨后路口积水严重",
            "泗门镇谢家路与光明路口每次下雨积水到脚踝，排水口被树叶堵住。",
        ),
        ("泗门镇谢家路光明路口", (30.1103, 121.0791)),
        Satisfied,
    ),
    story(
        Deputy(ZHANG),
        SIMEN,
        "noise",
        (
            "夜间工地施工噪声扰民",
            "泗门镇中心小学旁工地晚上十点后仍在施工，附近居民反映影响休息。",
        ),
        ("泗门镇中心小学旁", (30.1087, 121.0812)),
        Satisfied,
    ),
    story(
        Citizen("demo-citizen-4"),
        FENGSHAN,
        "water_outage",
        (
            "老小区水压低",
            "凤山新村三幢四楼以上白天水压很低，热水器打不着火，已持续一个月。",
        ),
        ("凤山街道凤山新村三幢", (30.0425, 121.1493)),
        Satisfied,
    ),
    story(
        Deputy(LI),
        YANGMING,
        "streetlight",
        (
            "公园步道照明不足",
            "阳明公园环湖步道北侧没有照明，晚上散步的居民多，建议增设路灯。",
        ),
        ("阳明街道阳明公园", (30.0489, 121.1634)),
        Dissatisfied,
    ),
    story(
        Citizen("demo-citizen-5"),
        FENGSHAN,
        "garbage",
        (
            "建筑垃圾长期堆放",
            "城东路菜场后面堆了大量装修垃圾，两周没人清理，已经挡住消防通道。",
        ),
        ("凤山街道城东路菜场后", (30.0398, 121.1587)),
        KeySupervised,
    ),
    story(
        Citizen("demo-citizen-1"),
        FENGSHAN,
        "road_damage",
        (
            "路面坑洼影响通行",
            "新建北路公交站前路面有一个大坑，下雨积水看不见，已有电动车摔倒。",
        ),
        ("凤山街道新建北路公交站", (30.0445, 121.1516)),
        InProgress,
    ),
    story(
        Deputy(WANG),
        FENGSHAN,
        "drainage",
        (
            "雨水井盖缺失",
            "凤山路与南雷路口东侧一个雨水井盖缺失，只用一块木板盖着，很危险。",
        ),
        ("凤山街道凤山路南雷路口", (30.0389, 121.1502)),
        Satisfied,
    ),
    story(
        Citizen("demo-citizen-2"),
        YANGMING,
        "noise",
        (
            "广场舞音响声音过大",
            "阳明广场晚上广场舞音响声音很大，持续到九点半，临街住户孩子无法学习。",
        ),
        ("阳明街道阳明广场", (30.0455, 121.1611)),
        Satisfied,
    ),
    story(
        Citizen("demo-citizen-3"),
        SIMEN,
        "water_outage",
        (
            "村里自来水发黄",
            "泗门镇小路下村最近三天自来水发黄，有沉淀，不敢直接饮用。",
        ),
        ("泗门镇小路下村", (30.1152, 121.0733)),
        ExtensionPending,
    ),
    story(
        Deputy(ZHANG),
        SIMEN,
        "garbage",
        (
            "河道边垃圾堆积",
            "泗门镇后塘河西岸有生活垃圾堆积，影响河道环境，需要清理并设置垃圾桶。",
        ),
        ("泗门镇后塘河西岸", (30.1071, 121.0765)),
        Routed,
    ),
    story(
        Citizen("demo-citizen-4"),
        FENGSHAN,
        "streetlight",
        (
            "小区门口路灯闪烁",
            "凤山新村北门路灯一直闪烁，晚上很晃眼，怀疑线路老化。",
        ),
        ("凤山街道凤山新村北门", (30.0431, 121.1488)),
        Declined,
    ),
    story(
        Deputy(LI),
        YANGMING,
        "road_damage",
        ("学校门口减速带损坏", "阳明小学门口减速带断裂，螺丝外露，容易扎破轮胎。"),
        ("阳明街道阳明小学门口", (30.0477, 121.1589)),
        Signed,
    ),
    story(
        Citizen("demo-citizen-1"),
        FENGSHAN,
        "drainage",
        ("小区下水道反味", "舜江花园二期下水道一到傍晚就反味，楼道里都是臭味。"),
        ("凤山街道舜江花园二期", (30.0362, 121.1534)),
        InProgress,
    ),
    story(
        Citizen("demo-citizen-2"),
        YANGMING,
        "garbage",
        ("垃圾分类桶不够用", "阳明西路沿街商铺多，厨余垃圾桶只有一个，经常溢出。"),
        ("阳明街道阳明西路", (30.0462, 121.1571)),
        Routed,
    ),
    story(
        Deputy(WANG),
        FENGSHAN,
        "noise",
        (
            "餐馆油烟机噪声",
            "南雷路一家餐馆的油烟机正对居民楼，噪声从早到晚，居民多次反映。",
        ),
        ("凤山街道南雷路", (30.0381, 121.1497)),
        KeySupervised,
    ),
    story(
        Citizen("demo-citizen-3"),
        SIMEN,
        "road_damage",
        ("村道塌陷", "泗门镇湖北村村道靠河一侧塌陷一米多，农用车通行危险。"),
        ("泗门镇湖北村", (30.1124, 121.0702)),
        Signed,
    ),
    story(
        Citizen("demo-citizen-4"),
        FENGSHAN,
        "water_outage",
        (
            "计划停水未提前通知",
            "城南片区周二停水一整天，事先没有任何通知，老人做饭喝水都成问题。",
        ),
        ("凤山街道城南片区", (30.0347, 121.1511)),
        Satisfied,
    ),
    story(
        Deputy(ZHANG),
        SIMEN,
        "streetlight",
        ("桥上照明损坏", "泗门大桥桥面三盏路灯损坏，桥上车多，夜间行人很危险。"),
        ("泗门镇泗门大桥", (30.1095, 121.0751)),
        InProgress,
    ),
    story(
        Citizen("demo-citizen-5"),
        YANGMING,
        "drainage",
        ("地下车库渗水", "阳明花园地下车库东侧墙面渗水，地面长期湿滑。"),
        ("阳明街道阳明花园", (30.0471, 121.1608)),
        Accepted,
    ),
    story(
        Citizen("demo-citizen-1"),
        FENGSHAN,
        "garbage",
        ("垃圾站夜间清运噪声", "凤山垃圾中转站凌晨三点作业，压缩机噪声很大。"),
        ("凤山街道垃圾中转站", (30.0412, 121.1475)),
        Routed,
    ),
    story(
        Deputy(LI),
        YANGMING,
        "streetlight",
        ("背街小巷无路灯", "阳明街道双河弄整条巷子没有路灯，住户多为老人。"),
        ("阳明街道双河弄", (30.0493, 121.1577)),
        Replied,
    ),
    story(
        Citizen("demo-citizen-2"),
        FENGSHAN,
        "road_damage",
        (
            "盲道被占用",
            "新建路沿街盲道被共享单车和店铺招牌占用，视障人士无法通行。",
        ),
        ("凤山街道新建路", (30.0417, 121.1526)),
        Replied,
    ),
    story(
        Citizen("demo-citizen-3"),
        SIMEN,
        "noise",
        ("养殖场异味和噪声", "泗门镇东侧养殖场清晨噪声大，夏天异味明显。"),
        ("泗门镇东侧", (30.1118, 121.0844)),
        Routed,
    ),
    story(
        Deputy(WANG),
        FENGSHAN,
        "water_outage",
        ("消防栓漏水", "舜水南路消防栓一直在漏水，浪费严重，地面结青苔。"),
        ("凤山街道舜水南路", (30.0366, 121.1552)),
        Submitted,
    ),
    story(
        Citizen("demo-citizen-4"),
        YANGMING,
        "garbage",
        ("大件垃圾无人回收", "阳明东路小区旧家具堆在楼下一个多月，没有回收渠道。"),
        ("阳明街道阳明东路", (30.0459, 121.1642)),
        Submitted,
    ),
    story(
        Citizen("demo-citizen-5"),
        FENGSHAN,
        "drainage",
        (
            "绿化带积水蚊虫多",
            "城东路绿化带低洼积水，蚊虫很多，附近居民晚上不敢开窗。",
        ),
        ("凤山街道城东路", (30.0401, 121.1593)),
        Submitted,
    ),
];

/// What happens to story `n`, and when (hours after it was reported).
fn steps(fate: Fate) -> Vec<(i64, Step)> {
    let mut out = vec![];
    match fate {
        Submitted => return out,
        Declined => return vec![(3, Step::Decline)],
        Merged => return vec![(2, Step::Merge)],
        _ => out.push((2, Step::Accept)),
    }
    if fate == Accepted {
        return out;
    }
    out.push((3, Step::Route));
    if fate == Routed {
        return out;
    }
    out.push((20, Step::Sign));
    if fate == Signed {
        return out;
    }
    out.push((50, Step::Progress));
    match fate {
        InProgress => out.push((70, Step::Urge)),
        ExtensionPending => out.push((60, Step::RequestExtension)),
        KeySupervised => out.extend([(72, Step::KeySupervision), (96, Step::SiteVisit)]),
        _ => {}
    }
    if matches!(fate, Replied | Satisfied | Dissatisfied) {
        out.push((120, Step::Reply));
    }
    if fate == Satisfied {
        out.push((150, Step::Rate("satisfied")));
    }
    if fate == Dissatisfied {
        out.push((150, Step::Rate("dissatisfied")));
    }
    out
}

#[derive(Clone, Copy, Debug)]
enum Step {
    Accept,
    Decline,
    Merge,
    Route,
    Sign,
    Progress,
    Urge,
    RequestExtension,
    KeySupervision,
    SiteVisit,
    Reply,
    Rate(&'static str),
}

/// What `--lively` did.
#[derive(Debug, serde::Serialize)]
pub struct Lively {
    /// False when an earlier run had loaded the story: nothing was changed.
    pub loaded: bool,
    pub issues: usize,
    pub ballots: usize,
}

/// The service on loopback, on a clock of its own.
struct Stage {
    app: actix_web::dev::ServerHandle,
    state: minsheng_api::state::AppState,
    base: String,
    http: reqwest::Client,
    tokens: HashMap<String, String>,
    citizens: HashMap<String, uuid::Uuid>,
    report: SeedReport,
}

/// Plays the story through the API, unless an earlier run did.
///
/// # Errors
/// When the service refuses a step: the story and the rules no longer agree.
pub async fn seed_lively(mut config: Config, report: SeedReport) -> anyhow::Result<Lively> {
    // The story's own instance: a free port, one worker, tokens that outlast five weeks of its clock, no write
    // limit. The deployment's settings are not touched.
    config.bind = "127.0.0.1:0".parse()?;
    config.http_workers = 1;
    config.access_token_ttl = std::time::Duration::from_secs(60 * 86_400);
    config.writes_per_minute = u64::MAX / 2;
    config.sign_in_limits.per_ip = u64::MAX / 2;
    let now = Utc::now();
    let start = now - Duration::days(DAYS);
    let state = startup::state_with_clock(config, infra::clock::Clock::manual(start))?;
    let server = Application::build(state.clone())?;
    let base = format!("http://127.0.0.1:{}", server.port());
    let app = server.handle();
    tokio::spawn(server.run_until_stopped());
    let mut play = Stage {
        app,
        state,
        base,
        http: reqwest::Client::new(),
        tokens: HashMap::new(),
        citizens: HashMap::new(),
        report,
    };
    let result = play.play(now).await;
    play.app.stop(true).await;
    result
}

impl Stage {
    async fn play(&mut self, now: DateTime<Utc>) -> anyhow::Result<Lively> {
        let first = STORIES.first().context("the story has issues")?;
        let found = self
            .get(ADMIN, &format!("/api/v1/issues?limit=1&q={}", urlencode(first.title)))
            .await?;
        if found["items"].as_array().is_some_and(|items| !items.is_empty()) {
            return Ok(Lively {
                loaded: false,
                issues: 0,
                ballots: 0,
            });
        }
        let start = self.state.clock.now();
        // Every step of every story, in the order they happen.
        let mut agenda: Vec<(DateTime<Utc>, usize, Option<Step>)> = Vec::new();
        for (n, s) in STORIES.iter().enumerate() {
            let reported = start + Duration::hours(i64::try_from(n).unwrap_or(0) * 27 + 9);
            agenda.push((reported, n, None));
            for (after, step) in steps(s.fate) {
                agenda.push((reported + Duration::hours(after), n, Some(step)));
            }
        }
        agenda.retain(|(at, _, _)| *at < now);
        agenda.sort_by_key(|(at, n, _)| (*at, *n));
        let mut ids: Vec<Option<String>> = vec![None; STORIES.len()];
        let mut ballot_done = false;
        for (at, n, step) in agenda {
            if !ballot_done && at > start + Duration::days(20) {
                self.state.clock.set(start + Duration::days(20));
                self.elect_projects().await?;
                ballot_done = true;
            }
            self.state.clock.set(at);
            let s = &STORIES[n];
            match step {
                None => ids[n] = Some(self.report_issue(s).await?),
                Some(step) => {
                    let id = ids[n].clone().context("reported before its steps")?;
                    // A duplicate goes into the first story's issue, reported a day before it and still open.
                    let into = ids.iter().flatten().next().cloned();
                    self.step(s, &id, step, into.as_deref())
                        .await
                        .with_context(|| format!("{step:?} on “{}”", s.title))?;
                }
            }
        }
        self.state.clock.set(now);
        // A ballot open now, for the deputies to vote in, and next year's proposals being gathered.
        self.open_ballot(now).await?;
        self.open_round(now).await?;
        Ok(Lively {
            loaded: true,
            issues: STORIES.len(),
            ballots: 2,
        })
    }

    /// The access token of a demo account (password) or a demo citizen (made as a WeChat sign-in makes them).
    async fn token(&mut self, who: &str) -> anyhow::Result<String> {
        if let Some(t) = self.tokens.get(who) {
            return Ok(t.clone());
        }
        let token = if who.starts_with("demo-citizen") {
            let mut conn = infra::db::pool::conn(&self.state.db).await?;
            let name = match who {
                "demo-citizen-1" => "市民周女士",
                "demo-citizen-2" => "市民吴先生",
                "demo-citizen-3" => "村民郑大伯",
                "demo-citizen-4" => "市民孙阿姨",
                _ => "市民钱先生",
            };
            let (citizen, _) = infra::db::users::citizen_by_openid(&mut conn, who, None, name).await?;
            self.citizens.insert(who.to_owned(), citizen.id);
            session::start(&self.state, &mut conn, citizen.id, &citizen.role, Method::WeChat)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .access_token
        } else {
            let answer = self
                .send(
                    Http::POST,
                    "/api/v1/auth/password",
                    None,
                    Some(&json!({"phone": who, "password": self.report.password})),
                )
                .await?;
            answer["access_token"].as_str().context("a token")?.to_owned()
        };
        self.tokens.insert(who.to_owned(), token.clone());
        Ok(token)
    }

    async fn send(&self, method: Http, path: &str, token: Option<&str>, body: Option<&Value>) -> anyhow::Result<Value> {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        if !status.is_success() {
            bail!("{method} {path} answered {status}: {text}");
        }
        Ok(if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)?
        })
    }

    async fn get(&mut self, who: &str, path: &str) -> anyhow::Result<Value> {
        let token = self.token(who).await?;
        self.send(Http::GET, path, Some(&token), None).await
    }

    async fn post(&mut self, who: &str, path: &str, body: &Value) -> anyhow::Result<Value> {
        let token = self.token(who).await?;
        self.send(Http::POST, path, Some(&token), Some(body)).await
    }

    fn reporter(s: &Story) -> &'static str {
        match s.reporter {
            Citizen(c) | Deputy(c) => c,
        }
    }

    async fn report_issue(&mut self, s: &Story) -> anyhow::Result<String> {
        let mut body = json!({
            "title": s.title,
            "description": s.description,
            "category_code": s.category,
            "location": {"address": s.address, "latitude": s.point.0, "longitude": s.point.1},
        });
        let who = Self::reporter(s);
        match s.reporter {
            Deputy(_) => body["station_id"] = json!(self.report.station(s.station).context("a demo station")?),
            // A citizen reports to the station whose QR code they scanned, as the mini-program's sign-in records.
            Citizen(_) => {
                self.token(who).await?;
                let scene = self
                    .report
                    .scenes
                    .iter()
                    .find(|n| n.name == s.station)
                    .context("the station's scene")?
                    .code
                    .clone();
                let citizen = *self.citizens.get(who).context("the citizen")?;
                let mut conn = infra::db::pool::conn(&self.state.db).await?;
                infra::db::users::set_scene(&mut conn, citizen, &scene).await?;
            }
        }
        let issue = self.post(who, "/api/v1/issues", &body).await?;
        Ok(issue["id"].as_str().context("an id")?.to_owned())
    }

    async fn step(&mut self, s: &Story, id: &str, step: Step, first: Option<&str>) -> anyhow::Result<()> {
        let issue = |cmd: &str| format!("/api/v1/issues/{id}/{cmd}");
        let handler = match s.category {
            "streetlight" | "road_damage" => "13900000021",
            "water_outage" | "drainage" => "13900000022",
            _ => "13900000023",
        };
        match step {
            Step::Accept => self.post(STAFF, &issue("accept"), &json!({})).await?,
            Step::Decline => {
                self.post(STAFF, &issue("decline"), &json!({"reason": "经核实，该路段路灯属小区物业管理，已告知反映人联系物业处理。"}))
                    .await?
            }
            Step::Merge => {
                let into = first.context("an earlier issue")?;
                self.post(STAFF, &issue("merge"), &json!({"into": into, "note": "与先前反映的新建路路灯问题为同一事项。"}))
                    .await?
            }
            // In 凤山 the routing rule's suggestion stands (roads with 凤山街道办事处 assisting); elsewhere that
            // assisting office does not serve the place, so staff name the lead agency alone.
            Step::Route if s.station == FENGSHAN => self.post(STAFF, &issue("route"), &json!({})).await?,
            Step::Route => {
                let lead = match handler {
                    "13900000021" => "余姚市住房和城乡建设局",
                    "13900000022" => "余姚市水利局",
                    _ => "余姚市综合行政执法局",
                };
                let lead = self.report.agency(lead).context("an agency")?;
                self.post(STAFF, &issue("route"), &json!({"lead_agency_id": lead, "co_agency_ids": []}))
                    .await?
            }
            Step::Sign => self.post(handler, &issue("sign"), &json!({})).await?,
            Step::Progress => {
                self.post(handler, &issue("progress"), &json!({"note": "已安排人员到现场查看，正在制定整改方案。"}))
                    .await?
            }
            Step::Urge => {
                let deputy = match s.station {
                    YANGMING => LI,
                    SIMEN => ZHANG,
                    _ => WANG,
                };
                self.post(deputy, &issue("urge"), &json!({"note": "群众反映强烈，请加快办理。"})).await?
            }
            Step::RequestExtension => {
                self.post(
                    handler,
                    &issue("extensions"),
                    &json!({"days": 5, "unit": "working_days", "reason": "需协调供水公司对管网进行水质检测，检测周期较长。"}),
                )
                .await?
            }
            Step::KeySupervision => {
                self.post(STAFF, &issue("key-supervision"), &json!({"note": "多次反映未解决，列入挂牌督办。"}))
                    .await?
            }
            Step::SiteVisit => {
                let deputy = if s.station == FENGSHAN { WANG } else { ZHANG };
                self.post(deputy, &issue("site-visits"), &json!({"note": "到现场察看，问题属实，已与承办单位当面沟通。"}))
                    .await?
            }
            Step::Reply => {
                self.post(
                    handler,
                    &issue("reply"),
                    &json!({"category": "A", "reply": "经现场核实，已完成整改。感谢您对我们工作的监督，如仍有问题请继续反映。"}),
                )
                .await?
            }
            Step::Rate(rating) => {
                let comment = if rating == "satisfied" { "处理及时，谢谢！" } else { "只处理了一次，问题又出现了。" };
                self.post(Self::reporter(s), &issue("ratings"), &json!({"rating": rating, "comment": comment}))
                    .await?
            }
        };
        Ok(())
    }

    /// 2026年民生实事: a ballot of the county's deputies, voted by blind-signed papers, closed, and its elected
    /// project reporting progress.
    async fn elect_projects(&mut self) -> anyhow::Result<()> {
        let now = self.state.clock.now();
        let housing = self.report.agency("余姚市住房和城乡建设局").context("an agency")?;
        let water = self.report.agency("余姚市水利局").context("an agency")?;
        let roster = self.county_roster()?;
        let plan = |title: &str, agency: uuid::Uuid, budget: i64| {
            json!({
                "title": title,
                "summary": format!("{title}，年内完成。"),
                "agency_id": agency,
                "budget_yuan": budget,
                "milestones": [
                    {"title": "完成设计和招标", "planned_on": (now + Duration::days(20)).date_naive()},
                    {"title": "完工验收", "planned_on": (now + Duration::days(120)).date_naive()},
                ],
            })
        };
        let ballot = self
            .post(
                STAFF,
                "/api/v1/ballots",
                &json!({
                    "region_code": "330281",
                    "title": "2026年余姚市民生实事项目代表票决",
                    "session": "余姚市第十七届人民代表大会第六次会议",
                    "seats": 2,
                    "opens_at": now - Duration::minutes(5),
                    "closes_at": now + Duration::hours(2),
                    "roster": roster,
                    "candidates": [
                        plan("老旧小区加装电梯", housing, 12_000_000),
                        plan("城区背街小巷路灯改造", housing, 3_500_000),
                        plan("农村饮用水提标改造", water, 8_000_000),
                        plan("城区易涝点整治", water, 6_000_000),
                    ],
                }),
            )
            .await?;
        let id = ballot["id"].as_str().context("a ballot id")?.to_owned();
        let key = PublicKey::from_pem(ballot["public_key"].as_str().context("a key")?)
            .map_err(|e| anyhow::anyhow!("the ballot's key: {e}"))?;
        let candidates: Vec<String> = ballot["candidates"]
            .as_array()
            .context("candidates")?
            .iter()
            .filter_map(|c| c["id"].as_str().map(str::to_owned))
            .collect();
        for deputy in [WANG, LI] {
            let mut token = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut token);
            let blinded = key
                .blind(&mut rand::thread_rng(), token, false, &Options::default())
                .map_err(|e| anyhow::anyhow!("blinding: {e}"))?;
            let answer = self
                .post(
                    deputy,
                    &format!("/api/v1/ballots/{id}/check-in"),
                    &json!({"blinded_token": STANDARD.encode(&blinded.blind_msg.0)}),
                )
                .await?;
            let blind = STANDARD.decode(answer["blind_signature"].as_str().context("a blind signature")?)?;
            let signature = key
                .finalize(
                    &BlindSignature::new(blind),
                    &blinded.secret,
                    None,
                    token,
                    &Options::default(),
                )
                .map_err(|e| anyhow::anyhow!("unblinding: {e}"))?;
            // Both choose the first two candidates, so that both seats are filled (a tie for the second would
            // leave it to a runoff). The papers carry no name.
            let choices: Vec<&String> = candidates.iter().take(2).collect();
            self.send(
                Http::POST,
                &format!("/api/v1/ballots/{id}/papers"),
                None,
                Some(&json!({"token": STANDARD.encode(token), "signature": STANDARD.encode(&signature.0), "choices": choices})),
            )
            .await?;
        }
        self.state.clock.set(now + Duration::hours(3));
        self.post(STAFF, &format!("/api/v1/ballots/{id}/close"), &json!({}))
            .await?;
        let projects = self.get(STAFF, &format!("/api/v1/projects?ballot_id={id}")).await?;
        for project in projects.as_array().context("projects")? {
            let handler = if project["agency_id"] == json!(housing) {
                "13900000021"
            } else {
                "13900000022"
            };
            let pid = project["id"].as_str().context("a project id")?.to_owned();
            self.post(
                handler,
                &format!("/api/v1/projects/{pid}/progress"),
                &json!({"note": "已完成方案设计，进入招标程序。", "percent": 20}),
            )
            .await?;
            self.deliver(project, handler).await?;
        }
        Ok(())
    }

    /// 领单 under way: the first money allocated, the project placed, a citizen's question, and the agency asking
    /// to move its first milestone (left for staff to decide in the console).
    async fn deliver(&mut self, project: &Value, handler: &str) -> anyhow::Result<()> {
        let pid = project["id"].as_str().context("a project id")?.to_owned();
        let budget = project["budget_yuan"].as_i64().context("a budget")?;
        let today = self.state.clock.now().date_naive();
        self.post(
            handler,
            &format!("/api/v1/projects/{pid}/money"),
            &json!({"kind": "allocated", "on_date": today, "amount_yuan": budget / 2, "note": "市财政首期拨付"}),
        )
        .await?;
        let token = self.token(STAFF).await?;
        self.send(
            Http::PUT,
            &format!("/api/v1/projects/{pid}/place"),
            Some(&token),
            Some(&json!({"location": {"latitude": 30.0445, "longitude": 121.1547}, "address": "余姚市城区"})),
        )
        .await?;
        self.post(
            "demo-citizen-2",
            &format!("/api/v1/projects/{pid}/comments"),
            &json!({"body": "我们小区也在名单上吗？什么时候开工？"}),
        )
        .await?;
        let page = self.get(STAFF, &format!("/api/v1/projects/{pid}")).await?;
        let first = page["milestones"]
            .as_array()
            .and_then(|m| m.first())
            .context("a first milestone")?;
        let planned = first["planned_on"]
            .as_str()
            .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
            .context("the milestone's day")?;
        self.post(
            handler,
            &format!("/api/v1/projects/{pid}/plan-changes"),
            &json!({
                "kind": "postpone",
                "milestone_id": first["id"],
                "planned_on": planned + Duration::days(30),
                "reason": "招标文件需经财政评审，评审排期推后一个月。",
            }),
        )
        .await?;
        Ok(())
    }

    /// 群众点单 for next year: a round open now, with proposals from citizens and a deputy, and supporters.
    async fn open_round(&mut self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let round = self
            .post(
                STAFF,
                "/api/v1/proposal-rounds",
                &json!({
                    "region_code": "330281",
                    "year": 2027,
                    "title": "2027年余姚市民生实事项目征集",
                    "ask": "请提出您希望明年政府办好的民生实事：做什么、在哪里、为什么。",
                    "opens_at": now - Duration::days(3),
                    "closes_at": now + Duration::days(27),
                }),
            )
            .await?;
        let rid = round["id"].as_str().context("a round id")?.to_owned();
        let mut ids = Vec::new();
        for (who, title, body, reason) in [
            (
                "demo-citizen-1",
                "阳明街道老旧小区加装电梯",
                "阳明街道舜水小区、武胜门小区多为六层无电梯住宅，建议统一加装电梯。",
                "楼里老人多，上下楼困难。",
            ),
            (
                "demo-citizen-3",
                "农村公交延伸到山区村",
                "建议把城区公交延伸到梁弄镇、大岚镇的山区村，每天至少四班。",
                "山区老人进城看病只能包车。",
            ),
            (
                "13900000011",
                "城区中小学周边停车接送区",
                "在城区中小学门口设置限时停车接送区，高峰期交警值守。",
                "上下学时段学校门口堵车严重，孩子过马路危险。",
            ),
            (
                "demo-citizen-4",
                "舜水小区电梯加装",
                "舜水小区的楼太高了，希望能装电梯。",
                "腿脚不好，爬楼很难。",
            ),
        ] {
            let proposal = self
                .post(
                    who,
                    &format!("/api/v1/proposal-rounds/{rid}/proposals"),
                    &json!({"title": title, "body": body, "reason": reason}),
                )
                .await?;
            ids.push(proposal["id"].as_str().context("a proposal id")?.to_owned());
        }
        for (who, n) in [
            ("demo-citizen-2", 0),
            ("demo-citizen-3", 0),
            ("demo-citizen-5", 0),
            ("demo-citizen-1", 1),
            ("demo-citizen-2", 2),
        ] {
            let id = ids.get(n).context("a proposal")?;
            self.post(who, &format!("/api/v1/proposals/{id}/support"), &json!({}))
                .await?;
        }
        Ok(())
    }

    /// The county's own deputies, the rosters of its ballots (张伟 is a city deputy, on the city's).
    fn county_roster(&self) -> anyhow::Result<Vec<uuid::Uuid>> {
        [WANG, LI]
            .iter()
            .map(|p| self.report.account(p).context("a deputy"))
            .collect()
    }

    /// Next year's ballot, open now: the deputies on its roster can vote in the console.
    async fn open_ballot(&mut self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let housing = self.report.agency("余姚市住房和城乡建设局").context("an agency")?;
        let roster = self.county_roster()?;
        let candidate = |title: &str| json!({"title": title, "summary": format!("{title}。"), "agency_id": housing, "budget_yuan": 5_000_000});
        self.post(
            STAFF,
            "/api/v1/ballots",
            &json!({
                "region_code": "330281",
                "title": "2027年余姚市民生实事候选项目代表票决",
                "session": "余姚市第十七届人民代表大会第七次会议",
                "seats": 1,
                "opens_at": now - Duration::hours(1),
                "closes_at": now + Duration::days(14),
                "roster": roster,
                "candidates": [candidate("城区公共停车场建设"), candidate("社区居家养老服务中心建设")],
            }),
        )
        .await?;
        Ok(())
    }
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
