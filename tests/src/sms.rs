//! A local stand-in for the SMS providers, each speaking its contract on the same address:
//! - Tencent Cloud SMS (`sms.tencentcloudapi.com`, API 3.0, `SendSms`, 2021-01-11): the TC3-HMAC-SHA256
//!   `Authorization` checked against the key (as `infra::sms` signs, which a unit test holds to Tencent Cloud's own
//!   SDK), errors as `Response.Error`, each number's fate in `Response.SendStatusSet`;
//! - Aliyun SMS (`dysmsapi.aliyuncs.com`, RPC `SendSms`, 2017-05-25): a form whose HMAC-SHA1 `Signature` is checked
//!   against the key (held by a unit test to Aliyun's documented example), answered `{"Code": "OK", …}` or an error
//!   code with a 4xx, as Aliyun does.
//!
//! Tests read the texts it took; so do browser tests, through `GET /inbox/{phone}` (the stand-in's own window, in no
//! provider's contract): the code last texted to a mainland number, as the person would read it on their phone.

use crate::stand_in::StandIn;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, MutexGuard};
use uuid::Uuid;

pub const SECRET_ID: &str = "AKIDminshengTEST0000000000000000";
pub const SECRET_KEY: &str = "minshengTestSecretKey0123456789ab";
pub const APP_ID: &str = "1400000001";
pub const TEMPLATE_ID: &str = "2000001";
pub const ALIYUN_TEMPLATE: &str = "SMS_300000001";

#[derive(Default)]
struct Provider {
    /// (number as sent, template parameters) of every text taken.
    sent: Vec<(String, Vec<String>)>,
    /// The next sends answer this code for the number instead of `Ok`.
    next_status: Option<String>,
}

pub struct FakeSms {
    pub url: String,
    state: Arc<Mutex<Provider>>,
    /// Stops the stand-in when the fake is dropped.
    _server: StandIn,
}

impl FakeSms {
    /// Starts on a free port.
    ///
    /// # Panics
    /// When no port can be bound.
    #[allow(clippy::unused_async)]
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(Provider::default()));
        let data = web::Data::from(state.clone());
        let server = StandIn::serve(move |cfg| {
            cfg.app_data(data.clone())
                .route("/", web::post().to(send_sms))
                .route("/inbox/{phone}", web::get().to(inbox));
        });
        Self {
            url: server.url.clone(),
            state,
            _server: server,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Provider> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The configuration that points the service at this stand-in.
    #[must_use]
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("MINSHENG_SMS_PROVIDER", "tencent"),
            ("MINSHENG_SMS_SECRET_ID", SECRET_ID),
            ("MINSHENG_SMS_SECRET_KEY", SECRET_KEY),
            ("MINSHENG_SMS_SDK_APP_ID", APP_ID),
            ("MINSHENG_SMS_SIGN_NAME", "民声"),
            ("MINSHENG_SMS_TEMPLATE_ID", TEMPLATE_ID),
            ("MINSHENG_SMS_API_BASE", self.url.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// The configuration that points the service at this stand-in as Aliyun SMS.
    #[must_use]
    pub fn env_aliyun(&self) -> Vec<(String, String)> {
        [
            ("MINSHENG_SMS_PROVIDER", "aliyun"),
            ("MINSHENG_SMS_SECRET_ID", SECRET_ID),
            ("MINSHENG_SMS_SECRET_KEY", SECRET_KEY),
            ("MINSHENG_SMS_SIGN_NAME", "民声"),
            ("MINSHENG_SMS_TEMPLATE_ID", ALIYUN_TEMPLATE),
            ("MINSHENG_SMS_API_BASE", self.url.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// The texts taken, in order: the number as sent (`+86…`) and the template's parameters.
    #[must_use]
    pub fn sent(&self) -> Vec<(String, Vec<String>)> {
        self.lock().sent.clone()
    }

    /// The code last texted to the mainland number `phone`.
    #[must_use]
    pub fn last_code(&self, phone: &str) -> Option<String> {
        last_code(&self.lock(), phone)
    }

    /// The next sends answer `code` (e.g. `LimitExceeded.PhoneNumberDailyLimit`) for the number.
    pub fn fail_next(&self, code: &str) {
        self.lock().next_status = Some(code.to_owned());
    }
}

fn last_code(provider: &Provider, phone: &str) -> Option<String> {
    let to = format!("+86{phone}");
    provider
        .sent
        .iter()
        .rev()
        .find(|(n, _)| *n == to)
        .and_then(|(_, p)| p.first().cloned())
}

async fn inbox(state: web::Data<Mutex<Provider>>, phone: web::Path<String>) -> HttpResponse {
    let provider = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    match last_code(&provider, &phone) {
        Some(code) => HttpResponse::Ok().json(json!({ "code": code })),
        None => HttpResponse::NotFound().finish(),
    }
}

fn error(code: &str, message: &str) -> HttpResponse {
    HttpResponse::Ok()
        .json(json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": Uuid::new_v4()}}))
}

async fn send_sms(provider: web::Data<Mutex<Provider>>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let form = req
        .headers()
        .get("Content-Type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form {
        return aliyun(&provider, &body);
    }
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    if header("X-TC-Action") != "SendSms" || header("X-TC-Version") != "2021-01-11" {
        return error("InvalidAction", "the action or version is not SendSms 2021-01-11");
    }
    let Ok(timestamp) = header("X-TC-Timestamp").parse::<i64>() else {
        return error("MissingParameter", "X-TC-Timestamp");
    };
    let payload = String::from_utf8_lossy(&body).into_owned();
    let expected = infra::sms::authorization(SECRET_ID, SECRET_KEY, &header("Host"), &payload, timestamp);
    if header("Authorization") != expected {
        return error(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated.",
        );
    }
    let request: Value = serde_json::from_str(&payload).unwrap_or(Value::Null);
    if request["SmsSdkAppId"] != APP_ID
        || request["TemplateId"] != TEMPLATE_ID
        || request["SignName"].as_str().is_none()
    {
        return error(
            "FailedOperation.TemplateIncorrectOrUnapproved",
            "template, application or signature",
        );
    }
    let numbers: Vec<String> = request["PhoneNumberSet"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let params: Vec<String> = request["TemplateParamSet"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let mut provider = provider.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let status = provider.next_status.take().unwrap_or_else(|| "Ok".to_owned());
    let statuses: Vec<Value> = numbers
        .iter()
        .map(|n| {
            if status == "Ok" {
                provider.sent.push((n.clone(), params.clone()));
            }
            json!({"SerialNo": Uuid::new_v4().to_string(), "PhoneNumber": n, "Fee": 1, "SessionContext": "",
                   "Code": status, "Message": if status == "Ok" { "send success" } else { "refused" }, "IsoCode": "CN"})
        })
        .collect();
    HttpResponse::Ok().json(json!({"Response": {"SendStatusSet": statuses, "RequestId": Uuid::new_v4()}}))
}

fn aliyun_error(status: u16, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default())
        .json(json!({"Code": code, "Message": message, "RequestId": Uuid::new_v4()}))
}

/// Aliyun's `SendSms`: the form's signature, key, action and template checked, the text taken.
fn aliyun(provider: &Mutex<Provider>, body: &[u8]) -> HttpResponse {
    let mut params: std::collections::BTreeMap<String, String> =
        url::form_urlencoded::parse(body).into_owned().collect();
    let Some(signature) = params.remove("Signature") else {
        return aliyun_error(400, "MissingSignature", "Signature is mandatory for this action.");
    };
    if params.get("AccessKeyId").map(String::as_str) != Some(SECRET_ID) {
        return aliyun_error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }
    if signature != infra::sms::aliyun_signature("POST", &params, SECRET_KEY) {
        return aliyun_error(
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation.",
        );
    }
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
    if get("Action") != "SendSms" || get("Version") != "2017-05-25" || get("SignatureVersion") != "1.0" {
        return aliyun_error(
            400,
            "InvalidAction.NotFound",
            "the action or version is not SendSms 2017-05-25",
        );
    }
    if get("TemplateCode") != ALIYUN_TEMPLATE || get("SignName").is_empty() {
        return HttpResponse::Ok().json(json!({"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "template",
                                              "RequestId": Uuid::new_v4()}));
    }
    let vars: Value = serde_json::from_str(get("TemplateParam")).unwrap_or(Value::Null);
    let Some(code) = vars["code"].as_str() else {
        return HttpResponse::Ok().json(json!({"Code": "isv.TEMPLATE_MISSING_PARAMETERS", "Message": "code",
                                              "RequestId": Uuid::new_v4()}));
    };
    let mut provider = provider.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let status = provider.next_status.take().unwrap_or_else(|| "OK".to_owned());
    if status == "OK" {
        for number in get("PhoneNumbers").split(',') {
            provider.sent.push((format!("+86{number}"), vec![code.to_owned()]));
        }
    }
    HttpResponse::Ok().json(
        json!({"Code": status, "Message": status, "BizId": Uuid::new_v4().simple().to_string(),
                                   "RequestId": Uuid::new_v4()}),
    )
}
