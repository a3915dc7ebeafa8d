//! A local stand-in for `api.weixin.qq.com`, speaking its contract: the same paths, query and JSON fields, errors
//! inside HTTP 200 as `errcode`/`errmsg`, `text/plain` on `jscode2session`, JPEG codes from `getwxacodeunlimit`.
//! The service is pointed at it with `MINSHENG_WECHAT_API_BASE` and cannot tell it from the real one.
//! Tests script it (codes for users, failures to come, a token to expire) and read back what it was asked.

use crate::stand_in::StandIn;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use uuid::Uuid;

pub const APPID: &str = "wx00fake00minsheng";
pub const SECRET: &str = "fake-app-secret-0123456789abcdef";
/// The page the fake's mini-program has published; codes for any other page answer 41030, as WeChat does.
pub const PAGE: &str = "pages/scene/index";

/// What one `jscode2session` call will answer, in place of the usual.
#[derive(Debug, Clone, Copy)]
pub enum Scripted {
    ErrCode(i64),
}

#[derive(Default)]
struct Fake {
    /// Issued login codes and the WeChat user each belongs to.
    codes: HashMap<String, String>,
    used: HashSet<String>,
    session_failures: VecDeque<Scripted>,
    session_calls: Vec<HashMap<String, String>>,
    tokens: HashMap<String, Instant>,
    /// Tokens the API refuses (40001) though `stable_token` in normal mode still hands them out.
    poisoned: HashSet<String>,
    current: Option<String>,
    next_expires_in: Option<u64>,
    stable_token_calls: Vec<Value>,
    code_calls: Vec<Value>,
    code_failures: VecDeque<i64>,
    check_calls: Vec<Value>,
    checks_down: bool,
    subscribe_calls: Vec<Value>,
    /// openids whose subscriptions WeChat says were refused (43101).
    refusing: HashSet<String>,
    /// Issued phone codes (`getPhoneNumber`) and the country code and number each stands for; used up once asked.
    phone_codes: HashMap<String, (String, String)>,
    /// The bodies of `generate_urllink` and `generatescheme` calls, in order.
    link_calls: Vec<Value>,
    /// The bodies of `media_check_async` calls, with the trace id each was answered.
    media_checks: Vec<(Value, String)>,
}

/// The running fake. Dropping it stops it.
pub struct FakeWeChat {
    pub url: String,
    state: Arc<Mutex<Fake>>,
    /// Stops the stand-in when the fake is dropped.
    _server: StandIn,
}

impl FakeWeChat {
    /// Starts on a free port.
    ///
    /// # Panics
    /// When no port can be bound.
    // Async although it awaits nothing: it spawns onto the caller's runtime, so it must be called inside one.
    #[allow(clippy::unused_async)]
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(Fake::default()));
        let data = web::Data::from(state.clone());
        let server = StandIn::serve(move |cfg| {
            cfg.app_data(data.clone())
                .route("/sns/jscode2session", web::get().to(jscode2session))
                .route("/cgi-bin/stable_token", web::post().to(stable_token))
                .route("/wxa/getwxacodeunlimit", web::post().to(getwxacodeunlimit))
                .route("/wxa/msg_sec_check", web::post().to(msg_sec_check))
                .route("/cgi-bin/message/subscribe/send", web::post().to(subscribe_send))
                .route("/wxa/business/getuserphonenumber", web::post().to(getuserphonenumber))
                .route("/wxa/generate_urllink", web::post().to(generate_urllink))
                .route("/wxa/generatescheme", web::post().to(generatescheme))
                .route("/wxa/media_check_async", web::post().to(media_check_async));
        });
        Self {
            url: server.url.clone(),
            state,
            _server: server,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Fake> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The configuration that points the service at this fake.
    #[must_use]
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("MINSHENG_WECHAT_APPID".to_owned(), APPID.to_owned()),
            ("MINSHENG_WECHAT_SECRET".to_owned(), SECRET.to_owned()),
            ("MINSHENG_WECHAT_API_BASE".to_owned(), self.url.clone()),
        ]
    }

    /// A fresh `wx.login()` code for the WeChat user `who`, as the mini-program would get one.
    #[must_use]
    pub fn login_code(&self, who: &str) -> String {
        let code = format!("0{}", Uuid::new_v4().simple());
        self.lock().codes.insert(code.clone(), who.to_owned());
        code
    }

    /// The openid WeChat gives `who` in this mini-program.
    #[must_use]
    pub fn openid(who: &str) -> String {
        let digest = infra::encoding::hex(&Sha256::digest(who.as_bytes()));
        format!("oFk{}", &digest[..25])
    }

    /// The next `jscode2session` calls answer these, in order, whatever the code.
    pub fn fail_sessions(&self, answers: &[Scripted]) {
        self.lock().session_failures.extend(answers.iter().copied());
    }

    /// The next `getwxacodeunlimit` calls answer these errcodes, in order.
    pub fn fail_codes(&self, errcodes: &[i64]) {
        self.lock().code_failures.extend(errcodes.iter().copied());
    }

    /// Tokens minted from now on live this many seconds (WeChat's are 7200).
    pub fn set_token_life(&self, seconds: u64) {
        self.lock().next_expires_in = Some(seconds);
    }

    /// The current access token stops working, as when WeChat revokes it.
    pub fn revoke_current_token(&self) {
        let mut fake = self.lock();
        if let Some(current) = fake.current.take() {
            fake.tokens.remove(&current);
        }
    }

    /// The current access token stops working for the API while `stable_token` in normal mode still hands it out,
    /// until a forced refresh replaces it: a token the service must renew by force.
    pub fn poison_current_token(&self) {
        let mut fake = self.lock();
        if let Some(current) = fake.current.clone() {
            fake.poisoned.insert(current);
        }
    }

    /// A fresh `getPhoneNumber` code for `number` (country code `country`), as the mini-program's button would get.
    #[must_use]
    pub fn phone_code(&self, country: &str, number: &str) -> String {
        let code = Uuid::new_v4().simple().to_string();
        self.lock()
            .phone_codes
            .insert(code.clone(), (country.to_owned(), number.to_owned()));
        code
    }

    /// The pictures sent to `media_check_async`, in order: each body and the trace id WeChat answered.
    #[must_use]
    pub fn media_checks(&self) -> Vec<(Value, String)> {
        self.lock().media_checks.clone()
    }

    /// The push WeChat sends `url` (the service's message push address) with its verdict on the picture checked
    /// under `trace_id`, signed with `token` as WeChat signs: answers the service's response.
    ///
    /// # Panics
    /// When the service does not answer.
    pub async fn push_media_verdict(url: &str, token: &str, trace_id: &str, suggest: &str) -> reqwest::Response {
        let (timestamp, nonce) = (
            "1765000000".to_owned(),
            Uuid::new_v4().simple().to_string()[..10].to_owned(),
        );
        let body = json!({
            "ToUserName": "gh_38cd1bbf5e2e", "FromUserName": "oFkSystem", "CreateTime": 1_765_000_000,
            "MsgType": "event", "Event": "wxa_media_check", "appid": APPID, "trace_id": trace_id, "version": 2,
            "detail": [{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": 100, "prob": 90}],
            "errcode": 0, "errmsg": "ok",
            "result": {"suggest": suggest, "label": if suggest == "risky" { 20002 } else { 100 }},
        });
        reqwest::Client::new()
            .post(url)
            .query(&[
                ("signature", Self::push_signature(token, &timestamp, &nonce)),
                ("timestamp", timestamp),
                ("nonce", nonce),
            ])
            .json(&body)
            .send()
            .await
            .expect("the service answers")
    }

    /// WeChat's signature of a push: SHA-1 of the Token, timestamp and nonce, sorted and joined.
    #[must_use]
    pub fn push_signature(token: &str, timestamp: &str, nonce: &str) -> String {
        let mut parts = [token, timestamp, nonce];
        parts.sort_unstable();
        infra::encoding::hex(&sha1::Sha1::digest(parts.concat().as_bytes()))
    }

    /// The bodies of the `generate_urllink` and `generatescheme` calls WeChat took, in order.
    #[must_use]
    pub fn link_calls(&self) -> Vec<Value> {
        self.lock().link_calls.clone()
    }

    /// The query strings `jscode2session` was called with.
    #[must_use]
    pub fn session_calls(&self) -> Vec<HashMap<String, String>> {
        self.lock().session_calls.clone()
    }

    /// The bodies `stable_token` was called with.
    #[must_use]
    pub fn stable_token_calls(&self) -> Vec<Value> {
        self.lock().stable_token_calls.clone()
    }

    /// The subscribe messages WeChat took (errcode 0), in order.
    #[must_use]
    pub fn subscribe_calls(&self) -> Vec<Value> {
        self.lock().subscribe_calls.clone()
    }

    /// From now on WeChat answers 43101 (the user refused) to messages for `who`.
    pub fn refuse_messages(&self, who: &str) {
        self.lock().refusing.insert(Self::openid(who));
    }

    /// The bodies of `msg_sec_check` calls, in order.
    #[must_use]
    pub fn check_calls(&self) -> Vec<Value> {
        self.lock().check_calls.clone()
    }

    /// While true, `msg_sec_check` answers HTTP 502, as when WeChat cannot be reached.
    pub fn set_checks_down(&self, down: bool) {
        self.lock().checks_down = down;
    }

    /// The bodies `getwxacodeunlimit` was called with (successful or not).
    #[must_use]
    pub fn code_calls(&self) -> Vec<Value> {
        self.lock().code_calls.clone()
    }
}

/// The query string's parameters (none when it cannot be read).
fn query_of(req: &HttpRequest) -> HashMap<String, String> {
    web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default()
}

/// WeChat labels `jscode2session` answers `text/plain`, JSON inside.
fn plain_json(body: &Value) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body(body.to_string())
}

fn err(errcode: i64, errmsg: &str) -> Value {
    json!({"errcode": errcode, "errmsg": format!("{errmsg} rid: 6750a1b2-0c3d4e5f-12345678")})
}

async fn jscode2session(fake: web::Data<Mutex<Fake>>, req: HttpRequest) -> HttpResponse {
    let query = query_of(&req);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    fake.session_calls.push(query.clone());
    if let Some(Scripted::ErrCode(code)) = fake.session_failures.pop_front() {
        return plain_json(&err(code, "scripted"));
    }
    if query.get("appid").map(String::as_str) != Some(APPID) {
        return plain_json(&err(40013, "invalid appid"));
    }
    if query.get("secret").map(String::as_str) != Some(SECRET) {
        return plain_json(&err(40125, "invalid appsecret"));
    }
    if query.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return plain_json(&err(40002, "invalid grant_type"));
    }
    let code = query.get("js_code").cloned().unwrap_or_default();
    if fake.used.contains(&code) {
        return plain_json(&err(40163, "code been used"));
    }
    let Some(who) = fake.codes.remove(&code) else {
        return plain_json(&err(40029, "invalid code"));
    };
    fake.used.insert(code);
    let mut answer = json!({
        "openid": FakeWeChat::openid(&who),
        "session_key": "tiihtNczf5v6AKRyjwEUhQ==",
    });
    // Users whose name says so are bound to an open-platform account and come with a unionid.
    if who.starts_with("union-") {
        answer["unionid"] = json!(format!("oUn{}", &FakeWeChat::openid(&who)[3..]));
    }
    plain_json(&answer)
}

#[derive(Deserialize)]
struct StableTokenBody {
    grant_type: String,
    appid: String,
    secret: String,
    #[serde(default)]
    force_refresh: bool,
}

async fn stable_token(fake: web::Data<Mutex<Fake>>, body: web::Bytes) -> HttpResponse {
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    fake.stable_token_calls.push(raw.clone());
    let Ok(body) = serde_json::from_value::<StableTokenBody>(raw) else {
        return HttpResponse::Ok().json(err(47001, "data format error"));
    };
    if body.grant_type != "client_credential" {
        return HttpResponse::Ok().json(err(40002, "invalid grant_type"));
    }
    if body.appid != APPID {
        return HttpResponse::Ok().json(err(40013, "invalid appid"));
    }
    if body.secret != SECRET {
        return HttpResponse::Ok().json(err(40125, "invalid appsecret"));
    }
    let now = Instant::now();
    // Normal mode hands out the current token until its last five minutes; then, or when forced, a new one.
    if !body.force_refresh {
        if let Some(current) = fake.current.clone() {
            if let Some(expiry) = fake.tokens.get(&current) {
                if *expiry > now + Duration::from_secs(300) {
                    let left = expiry.duration_since(now).as_secs();
                    return HttpResponse::Ok().json(json!({"access_token": current, "expires_in": left}));
                }
            }
        }
    } else if let Some(old) = fake.current.take() {
        fake.tokens.remove(&old);
    }
    let life = fake.next_expires_in.unwrap_or(7200);
    let token = format!("fake_at_{}", Uuid::new_v4().simple());
    fake.tokens.insert(token.clone(), now + Duration::from_secs(life));
    fake.current = Some(token.clone());
    HttpResponse::Ok().json(json!({"access_token": token, "expires_in": life}))
}

async fn getwxacodeunlimit(fake: web::Data<Mutex<Fake>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = query_of(&req);
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    fake.code_calls.push(raw.clone());
    if let Some(refused) = refuse_token(&fake, &query) {
        return refused;
    }
    if let Some(code) = fake.code_failures.pop_front() {
        return HttpResponse::Ok().json(err(code, "scripted"));
    }
    let scene = raw["scene"].as_str().unwrap_or_default();
    if scene.is_empty() || scene.len() > 32 {
        return HttpResponse::Ok().json(err(40169, "invalid length for scene"));
    }
    if raw["check_path"].as_bool() != Some(false) && raw["page"].as_str() != Some(PAGE) {
        return HttpResponse::Ok().json(err(41030, "invalid page"));
    }
    let width = raw["width"].as_u64().unwrap_or(430).clamp(280, 1280);
    let side = u32::try_from(width).unwrap_or(430);
    let picture = image::GrayImage::from_fn(side, side, |x, y| {
        image::Luma([if (x / 20 + y / 20) % 2 == 0 { 0 } else { 255 }])
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    if picture.write_to(&mut jpeg, image::ImageFormat::Jpeg).is_err() {
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok().content_type("image/jpeg").body(jpeg.into_inner())
}

/// The text a content check refuses, and the one it wants a person to look at.
pub const RISKY_WORD: &str = "违禁词";
pub const REVIEW_WORD: &str = "待审词";

/// `msg_sec_check` version 2: refuses what holds [`RISKY_WORD`], asks review for [`REVIEW_WORD`], passes the rest.
async fn msg_sec_check(fake: web::Data<Mutex<Fake>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = query_of(&req);
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if fake.checks_down {
        return HttpResponse::BadGateway().finish();
    }
    fake.check_calls.push(raw.clone());
    if let Some(refused) = refuse_token(&fake, &query) {
        return refused;
    }
    if raw["version"].as_u64() != Some(2) || !matches!(raw["scene"].as_u64(), Some(1..=4)) {
        return HttpResponse::Ok().json(err(40003, "invalid args"));
    }
    if raw["openid"].as_str().is_none_or(str::is_empty) {
        return HttpResponse::Ok().json(err(40003, "invalid openid"));
    }
    let content = raw["content"].as_str().unwrap_or_default();
    let (suggest, label) = if content.contains(RISKY_WORD) {
        ("risky", 20001)
    } else if content.contains(REVIEW_WORD) {
        ("review", 21000)
    } else {
        ("pass", 100)
    };
    HttpResponse::Ok().json(json!({
        "errcode": 0,
        "errmsg": "ok",
        "result": {"suggest": suggest, "label": label},
        "detail": [{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label, "prob": 90}],
        "trace_id": Uuid::new_v4().simple().to_string(),
    }))
}

/// `message/subscribe/send`: checks the token and the fields WeChat requires, answers 43101 for users who refused.
async fn subscribe_send(fake: web::Data<Mutex<Fake>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = query_of(&req);
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(refused) = refuse_token(&fake, &query) {
        return refused;
    }
    let touser = raw["touser"].as_str().unwrap_or_default().to_owned();
    if touser.is_empty() || raw["template_id"].as_str().is_none_or(str::is_empty) || !raw["data"].is_object() {
        return HttpResponse::Ok().json(err(47003, "argument invalid"));
    }
    if !matches!(
        raw["miniprogram_state"].as_str(),
        None | Some("developer" | "trial" | "formal")
    ) {
        return HttpResponse::Ok().json(err(47003, "argument invalid: miniprogram_state"));
    }
    if fake.refusing.contains(&touser) {
        return HttpResponse::Ok().json(err(43101, "user refuse to accept the msg"));
    }
    fake.subscribe_calls.push(raw);
    HttpResponse::Ok().json(json!({"errcode": 0, "errmsg": "ok", "msgid": 1}))
}

/// WeChat's answer to a missing, unknown (40001) or expired (42001) `access_token`; `None` when it is good.
fn refuse_token(fake: &Fake, query: &HashMap<String, String>) -> Option<HttpResponse> {
    let token = query.get("access_token").cloned().unwrap_or_default();
    match fake.tokens.get(&token).filter(|_| !fake.poisoned.contains(&token)) {
        None => Some(HttpResponse::Ok().json(err(40001, "invalid credential, access_token is invalid or not latest"))),
        Some(expiry) if *expiry <= Instant::now() => Some(HttpResponse::Ok().json(err(42001, "access_token expired"))),
        Some(_) => None,
    }
}

/// `POST /wxa/business/getuserphonenumber?access_token=…` with `{"code"}`: the number behind a phone code, once.
async fn getuserphonenumber(fake: web::Data<Mutex<Fake>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = query_of(&req);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(refused) = refuse_token(&fake, &query) {
        return refused;
    }
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let Some(code) = raw["code"].as_str() else {
        return HttpResponse::Ok().json(err(47001, "data format error"));
    };
    let Some((country, number)) = fake.phone_codes.remove(code) else {
        return HttpResponse::Ok().json(err(40029, "invalid code"));
    };
    let whole = if country == "86" {
        number.clone()
    } else {
        format!("+{country}{number}")
    };
    HttpResponse::Ok().json(json!({
        "errcode": 0,
        "errmsg": "ok",
        "phone_info": {
            "phoneNumber": whole,
            "purePhoneNumber": number,
            "countryCode": country.parse::<i64>().map_or(json!(country), |n| json!(n)),
            "watermark": {"timestamp": 1_637_744_274, "appid": APPID},
        },
    }))
}

/// The checks both link makers share: the token, a published page, no query beyond WeChat's characters, an interval
/// of 1 to 30 days. `None` when the request is good.
fn refuse_link(
    fake: &Fake,
    query: &HashMap<String, String>,
    page: &Value,
    link_query: &Value,
    body: &Value,
) -> Option<HttpResponse> {
    if let Some(refused) = refuse_token(fake, query) {
        return Some(refused);
    }
    if page.as_str() != Some(PAGE) {
        return Some(HttpResponse::Ok().json(err(40165, "invalid weapp pagepath")));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "!#$&'()*+,/:;=?@-._~%".contains(c);
    if !link_query
        .as_str()
        .is_some_and(|q| q.len() <= 1024 && q.chars().all(allowed))
    {
        return Some(HttpResponse::Ok().json(err(40212, "invalid query")));
    }
    if body["expire_type"] != json!(1) || !body["expire_interval"].as_u64().is_some_and(|d| (1..=30).contains(&d)) {
        return Some(HttpResponse::Ok().json(err(40097, "invalid args")));
    }
    None
}

/// `POST /wxa/generate_urllink?access_token=…`: `{path, query, env_version, expire_type, expire_interval}`.
async fn generate_urllink(fake: web::Data<Mutex<Fake>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = query_of(&req);
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(refused) = refuse_link(&fake, &query, &raw["path"], &raw["query"], &raw) {
        return refused;
    }
    fake.link_calls.push(raw);
    HttpResponse::Ok().json(json!({
        "errcode": 0, "errmsg": "ok", "url_link": format!("https://wxaurl.cn/{}", &Uuid::new_v4().simple().to_string()[..11]),
    }))
}

/// `POST /wxa/generatescheme?access_token=…`: `{jump_wxa: {path, query, env_version}, expire_type, expire_interval}`.
async fn generatescheme(fake: web::Data<Mutex<Fake>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = query_of(&req);
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let jump = raw["jump_wxa"].clone();
    if let Some(refused) = refuse_link(&fake, &query, &jump["path"], &jump["query"], &raw) {
        return refused;
    }
    fake.link_calls.push(raw);
    HttpResponse::Ok().json(json!({
        "errcode": 0, "errmsg": "ok",
        "openlink": format!("weixin://dl/business/?t={}", &Uuid::new_v4().simple().to_string()[..11]),
    }))
}

/// `POST /wxa/media_check_async?access_token=…`: `{media_url, media_type, version, scene, openid}` → a trace id.
async fn media_check_async(fake: web::Data<Mutex<Fake>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = query_of(&req);
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut fake = fake.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(refused) = refuse_token(&fake, &query) {
        return refused;
    }
    let well_formed = raw["media_url"].as_str().is_some_and(|u| u.starts_with("http"))
        && matches!(raw["media_type"].as_u64(), Some(1 | 2))
        && raw["version"] == json!(2)
        && matches!(raw["scene"].as_u64(), Some(1..=4))
        && raw["openid"].as_str().is_some_and(|o| !o.is_empty());
    if !well_formed {
        return HttpResponse::Ok().json(err(40097, "invalid args"));
    }
    let trace_id = format!("6{}", &Uuid::new_v4().simple().to_string()[..23]);
    fake.media_checks.push((raw, trace_id.clone()));
    HttpResponse::Ok().json(json!({"errcode": 0, "errmsg": "ok", "trace_id": trace_id}))
}
