//! The WeChat server API, spoken exactly as `api.weixin.qq.com` speaks it: errors arrive inside HTTP 200 as
//! `errcode`/`errmsg`. Only the base URL differs between production and the tests' local stand-in.
//!
//! Secrets never reach a log line: the app secret and the login code travel in query strings, so reqwest's errors
//! are stripped of their URL, and the `session_key` WeChat returns is not even read (no feature needs it).

mod token;

use crate::config::WeChat as WeChatConfig;
use crate::redis::Redis;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// What can go wrong talking to WeChat, sorted by what the caller should tell its own client.
#[derive(Debug, thiserror::Error)]
pub enum WeChatError {
    /// The login code is invalid (40029) or was used already (40163).
    #[error("WeChat refused the login code (errcode {errcode})")]
    InvalidCode { errcode: i64 },
    /// WeChat's rate limit (45011 for logins, 45009 for daily API quotas).
    #[error("WeChat's rate limit was reached (errcode {errcode})")]
    RateLimited { errcode: i64 },
    /// WeChat said it is busy (-1), twice.
    #[error("WeChat is busy")]
    Busy,
    /// No usable answer: the network, a timeout, an HTTP error, or a body that is not WeChat's.
    #[error("WeChat could not be reached: {0}")]
    Unreachable(String),
    /// WeChat holds the user to be at high risk (40226) and refuses them sign-in.
    #[error("WeChat refused a high-risk user (errcode 40226)")]
    RiskyUser,
    /// Any other errcode: usually a configuration mistake (wrong secret, unpublished page).
    #[error("WeChat answered errcode {errcode}: {errmsg}")]
    Refused { errcode: i64, errmsg: String },
}

impl WeChatError {
    fn from_code(errcode: i64, errmsg: String) -> Self {
        match errcode {
            40029 | 40163 => WeChatError::InvalidCode { errcode },
            45011 | 45009 => WeChatError::RateLimited { errcode },
            -1 => WeChatError::Busy,
            40226 => WeChatError::RiskyUser,
            _ => WeChatError::Refused { errcode, errmsg },
        }
    }
}

/// Who signed in, as WeChat identifies them.
#[derive(Clone, Deserialize)]
pub struct WeChatUser {
    pub openid: String,
    pub unionid: Option<String>,
}

/// openids are personal data: they are never printed, not even in debug output.
impl std::fmt::Debug for WeChatUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WeChatUser { .. }")
    }
}

/// A phone number WeChat vouches for (`getuserphonenumber`). Personal data: never printed.
#[derive(Clone)]
pub struct WeChatPhone {
    /// Without the country code.
    pub number: String,
    /// `86` for the mainland.
    pub country_code: String,
}

impl std::fmt::Debug for WeChatPhone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WeChatPhone { .. }")
    }
}

/// Ways into the mini-program from outside WeChat, as WeChat made them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OpenLinks {
    /// `https://wxaurl.cn/…`: any browser; WeChat's own page then opens the mini-program.
    pub url_link: String,
    /// `weixin://dl/business/?t=…`: a phone browser hands it to the WeChat app.
    pub scheme: String,
}

/// A mini-program code as WeChat drew it.
#[derive(Debug, Clone)]
pub struct DrawnCode {
    pub bytes: Vec<u8>,
}

/// The WeChat client of one mini-program; every instance of the service shares its access token through Redis.
pub struct WeChatClient {
    http: reqwest::Client,
    base: String,
    appid: String,
    secret: SecretString,
    code_page: String,
    code_env_version: String,
    redis: Arc<Redis>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

impl WeChatClient {
    /// # Errors
    /// When the HTTP client cannot be built (no TLS backend).
    pub fn new(config: &WeChatConfig, base: &str, redis: Arc<Redis>) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(8))
            .user_agent(concat!("minsheng/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            appid: config.appid.clone(),
            secret: config.secret.clone(),
            code_page: config.code_page.clone(),
            code_env_version: config.code_env_version.clone(),
            redis,
        })
    }

    /// `jscode2session`: exchanges a `wx.login()` code for the user's openid (and unionid, when there is one).
    ///
    /// # Errors
    /// `InvalidCode`, `RateLimited`, `Busy` (after one retry), `Unreachable` or `Refused`.
    pub async fn code_to_session(&self, code: &str) -> Result<WeChatUser, WeChatError> {
        retry_when_busy(|| async {
            let req = self.http.get(format!("{}/sns/jscode2session", self.base)).query(&[
                ("appid", self.appid.as_str()),
                ("secret", self.secret.expose_secret()),
                ("js_code", code),
                ("grant_type", "authorization_code"),
            ]);
            let body = send(req).await?;
            let envelope: Envelope = parse(&body)?;
            if envelope.errcode != 0 {
                return Err(WeChatError::from_code(envelope.errcode, envelope.errmsg));
            }
            let user: WeChatUser = parse(&body)?;
            if user.openid.is_empty() {
                return Err(WeChatError::Unreachable("the answer has no openid".to_owned()));
            }
            Ok(user)
        })
        .await
    }

    /// `getuserphonenumber`: the phone number behind the code a `getPhoneNumber` button gave the mini-program (each
    /// code works once, for five minutes).
    ///
    /// # Errors
    /// `InvalidCode` (40029) for an unknown, used or expired code; `Busy`, `RateLimited`, `Unreachable`, `Refused`.
    pub async fn phone_number(&self, code: &str) -> Result<WeChatPhone, WeChatError> {
        let body = self
            .post_with_token("/wxa/business/getuserphonenumber", &serde_json::json!({ "code": code }))
            .await?;
        let answer: serde_json::Value = parse(&body)?;
        let info = &answer["phone_info"];
        let number = info["purePhoneNumber"].as_str().unwrap_or_default().to_owned();
        // WeChat's own examples give the country code as a number and as a string.
        let country_code = match &info["countryCode"] {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            _ => String::new(),
        };
        if number.is_empty() {
            return Err(WeChatError::Unreachable("the answer has no phone number".to_owned()));
        }
        Ok(WeChatPhone { number, country_code })
    }

    /// A URL Link (`/wxa/generate_urllink`, `https://wxaurl.cn/…`, opens the mini-program from any browser through
    /// WeChat's page) and a URL Scheme (`/wxa/generatescheme`, `weixin://dl/business/?t=…`, for a phone browser
    /// that hands it to the WeChat app) that open the configured page with `scene`, valid for `days` (1–30).
    ///
    /// # Errors
    /// `RateLimited` (WeChat's daily quota of links), `Busy`, `Unreachable`, `Refused` (an unpublished page, or a
    /// mini-program of a kind WeChat gives no links to).
    pub async fn open_links(&self, scene: &str, days: u32) -> Result<OpenLinks, WeChatError> {
        let query = format!("scene={scene}");
        let link = self
            .post_with_token(
                "/wxa/generate_urllink",
                &serde_json::json!({
                    "path": self.code_page,
                    "query": query,
                    "env_version": self.code_env_version,
                    "expire_type": 1,
                    "expire_interval": days,
                }),
            )
            .await?;
        let scheme = self
            .post_with_token(
                "/wxa/generatescheme",
                &serde_json::json!({
                    "jump_wxa": {"path": self.code_page, "query": query, "env_version": self.code_env_version},
                    "expire_type": 1,
                    "expire_interval": days,
                }),
            )
            .await?;
        let link: serde_json::Value = parse(&link)?;
        let scheme: serde_json::Value = parse(&scheme)?;
        match (link["url_link"].as_str(), scheme["openlink"].as_str()) {
            (Some(url_link), Some(scheme)) if !url_link.is_empty() && !scheme.is_empty() => Ok(OpenLinks {
                url_link: url_link.to_owned(),
                scheme: scheme.to_owned(),
            }),
            _ => Err(WeChatError::Unreachable("the answer has no link".to_owned())),
        }
    }

    /// `getwxacodeunlimit`: a mini-program code that opens the configured page with `scene`.
    ///
    /// # Errors
    /// `RateLimited`, `Busy`, `Unreachable` or `Refused` (an unpublished page is errcode 41030).
    pub async fn draw_code(&self, scene: &str, width: u32) -> Result<DrawnCode, WeChatError> {
        let body = serde_json::json!({
            "scene": scene,
            "page": self.code_page,
            // A page of an unreleased version cannot be checked against the released one.
            "check_path": self.code_env_version == "release",
            "env_version": self.code_env_version,
            "width": width,
            "auto_color": false,
            "is_hyaline": false,
        });
        let bytes = self.post_with_token("/wxa/getwxacodeunlimit", &body).await?;
        Ok(DrawnCode { bytes })
    }

    /// WeChat's text content check (`msg_sec_check`, version 2) of what a citizen wrote, in one of its scenes
    /// (2 comment, 3 forum post). The citizen must have opened the mini-program within two hours (else errcode 61010).
    ///
    /// # Errors
    /// Any `WeChatError`: callers decide whether an unchecked text may wait for a person to review it.
    pub async fn check_text(&self, openid: &str, content: &str, scene: TextScene) -> Result<Verdict, WeChatError> {
        let body = serde_json::json!({
            "content": content,
            "version": 2,
            "scene": scene as u8,
            "openid": openid,
        });
        let bytes = self.post_with_token("/wxa/msg_sec_check", &body).await?;
        let answer: SecCheck = parse(&bytes)?;
        Ok(match answer.result.suggest.as_str() {
            "pass" => Verdict::Pass,
            "risky" => Verdict::Risky {
                label: answer.result.label,
            },
            _ => Verdict::Review,
        })
    }

    /// `media_check_async`: asks WeChat to check the picture at `media_url` (which WeChat fetches) that `openid`
    /// uploaded; the verdict comes later by message push, under the trace id answered here.
    ///
    /// # Errors
    /// Any `WeChatError`: the photo then goes unchecked by WeChat, and the caller holds it for a person to look at.
    pub async fn check_picture(&self, openid: &str, media_url: &str, scene: TextScene) -> Result<String, WeChatError> {
        let body = serde_json::json!({
            "media_url": media_url,
            // 2: a picture (1 is audio).
            "media_type": 2,
            "version": 2,
            "scene": scene as u8,
            "openid": openid,
        });
        let bytes = self.post_with_token("/wxa/media_check_async", &body).await?;
        let answer: serde_json::Value = parse(&bytes)?;
        answer["trace_id"]
            .as_str()
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| WeChatError::Unreachable("the answer has no trace_id".to_owned()))
    }

    /// Sends a subscribe message (订阅消息) with one of the templates a citizen accepted. `data` maps the
    /// template's keywords (`thing1`, `time2`, …) to values; `page` is where tapping it leads in the mini-program.
    ///
    /// # Errors
    /// `Refused { errcode: 43101 }` when the citizen refused (or used up) the subscription: stop sending, do not
    /// retry; any other `WeChatError` may be retried.
    pub async fn send_subscribe_message(
        &self,
        openid: &str,
        template_id: &str,
        page: &str,
        data: &serde_json::Value,
    ) -> Result<(), WeChatError> {
        let body = serde_json::json!({
            "touser": openid,
            "template_id": template_id,
            "page": page,
            "data": data,
            // The same choice as the codes' env_version, in this API's words.
            "miniprogram_state": match self.code_env_version.as_str() {
                "develop" => "developer",
                "trial" => "trial",
                _ => "formal",
            },
            "lang": "zh_CN",
        });
        self.post_with_token("/cgi-bin/message/subscribe/send", &body).await?;
        Ok(())
    }

    /// POSTs `body` to a path that takes `access_token` in its query. JSON with a non-zero `errcode` is an error;
    /// anything else is the answer's bytes. An invalid or expired token (40001, 42001) is replaced and the call made
    /// again: first by a normal `stable_token` (which hands out the newest token, as after another system forced
    /// one), and only when that one is refused too by a forced refresh, which WeChat allows a few times a day and
    /// which invalidates the token every other instance holds. A busy answer (-1) is tried once more.
    async fn post_with_token(&self, path: &str, body: &serde_json::Value) -> Result<Vec<u8>, WeChatError> {
        let mut token = self.access_token().await?;
        let mut renewals = 0;
        let mut retried_busy = false;
        loop {
            let req = self
                .http
                .post(format!("{}{path}", self.base))
                .query(&[("access_token", token.as_str())])
                .json(body);
            let bytes = send(req).await?;
            let envelope = if bytes.first() == Some(&b'{') {
                serde_json::from_slice::<Envelope>(&bytes).ok()
            } else {
                None
            };
            match envelope {
                None => return Ok(bytes),
                Some(e) if e.errcode == 0 => return Ok(bytes),
                Some(e) if matches!(e.errcode, 40001 | 42001) && renewals < 2 => {
                    renewals += 1;
                    token = self.replace_access_token(&token, renewals == 2).await?;
                }
                Some(e) if e.errcode == -1 && !retried_busy => {
                    retried_busy = true;
                    tokio::time::sleep(BUSY_PAUSE).await;
                }
                Some(e) => return Err(WeChatError::from_code(e.errcode, e.errmsg)),
            }
        }
    }
}

const BUSY_PAUSE: Duration = Duration::from_millis(200);

/// Calls `call` and, when WeChat says it is busy, once more after a short pause.
async fn retry_when_busy<T, F, Fut>(call: F) -> Result<T, WeChatError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, WeChatError>>,
{
    match call().await {
        Err(WeChatError::Busy) => {
            tokio::time::sleep(BUSY_PAUSE).await;
            call().await
        }
        other => other,
    }
}

/// Sends and reads the whole body. Errors lose their URL: it may hold the app secret or a login code.
async fn send(req: reqwest::RequestBuilder) -> Result<Vec<u8>, WeChatError> {
    let res = req
        .send()
        .await
        .map_err(|e| WeChatError::Unreachable(e.without_url().to_string()))?;
    let status = res.status();
    if !status.is_success() {
        return Err(WeChatError::Unreachable(format!("HTTP {status}")));
    }
    let bytes = res
        .bytes()
        .await
        .map_err(|e| WeChatError::Unreachable(e.without_url().to_string()))?;
    Ok(bytes.to_vec())
}

/// WeChat labels some JSON answers `text/plain`, so bodies are parsed whatever their content type says.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WeChatError> {
    serde_json::from_slice(body).map_err(|_| WeChatError::Unreachable("the answer is not WeChat's JSON".to_owned()))
}

/// Where checked text appears, in WeChat's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextScene {
    Comment = 2,
    Forum = 3,
}

/// WeChat's suggestion for a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Not clearly fine: a person should look.
    Review,
    /// Refused; `label` is WeChat's category (20001 politics, 20002 pornography, 20006 crime, ...).
    Risky {
        label: i64,
    },
}

#[derive(serde::Deserialize)]
struct SecCheck {
    result: SecResult,
}

#[derive(serde::Deserialize)]
struct SecResult {
    suggest: String,
    #[serde(default)]
    label: i64,
}
