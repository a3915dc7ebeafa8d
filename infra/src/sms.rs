//! Text messages (短信验证码) through the provider a deployment chose, each spoken exactly as it speaks:
//! - Tencent Cloud SMS (`sms.tencentcloudapi.com`): API 3.0, action `SendSms`, version 2021-01-11, every request signed
//!   with TC3-HMAC-SHA256;
//! - Aliyun SMS (`dysmsapi.aliyuncs.com`): the RPC API, action `SendSms`, version 2017-05-25, a form signed with
//!   HMAC-SHA1 (signature version 1.0).
//!
//! Only the base URL differs between production and the tests' stand-in, which checks the signatures the same way.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::time::Duration;

const SERVICE: &str = "sms";
const ACTION: &str = "SendSms";
const VERSION: &str = "2021-01-11";
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The provider, with what only it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    /// Tencent Cloud SMS: the SMS application (`SdkAppId`, 1400…) and the API region.
    Tencent { app_id: String, region: String },
    /// Aliyun SMS.
    Aliyun,
}

/// The SMS provider's settings: an account's API key, its approved signature and template.
#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub provider: Provider,
    /// The key's id (Tencent `SecretId`, Aliyun `AccessKeyId`).
    pub secret_id: String,
    pub secret_key: SecretString,
    /// The approved signature shown as 【…】 (签名).
    pub sign_name: String,
    /// The approved template of the sign-in message (Tencent: the code and the minutes it works for, as `{1}` and
    /// `{2}`; Aliyun: `${code}` and `${minutes}`).
    pub template_id: String,
    /// `https://sms.tencentcloudapi.com` or `https://dysmsapi.aliyuncs.com` (tests point it at a local stand-in).
    pub api_base: String,
}

/// What can go wrong sending a text.
#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// The provider's own limit for this number (too many texts to it today or this hour).
    #[error("the SMS provider limits texts to this number ({0})")]
    NumberLimited(String),
    /// No usable answer: the network, a timeout, or a body that is not the provider's.
    #[error("the SMS provider could not be reached: {0}")]
    Unreachable(String),
    /// Any other refusal: usually the settings (key, signature, template).
    #[error("the SMS provider refused: {0}")]
    Refused(String),
}

/// The SMS client.
pub struct Sms {
    config: SmsConfig,
    http: reqwest::Client,
}

type HmacSha256 = Hmac<Sha256>;
type HmacSha1 = Hmac<sha1::Sha1>;

/// Percent-encoding as Aliyun's signature wants it (RFC 3986: all but letters, digits and `-_.~`).
/// Sends a provider's request and reads its JSON answer; a provider out of reach, or answering what is not JSON, is
/// unreachable alike (the URL, which may carry credentials, left out of the message).
async fn answer(request: reqwest::RequestBuilder) -> Result<serde_json::Value, SmsError> {
    let unreachable = |e: reqwest::Error| SmsError::Unreachable(e.without_url().to_string());
    request
        .send()
        .await
        .map_err(unreachable)?
        .json()
        .await
        .map_err(unreachable)
}

fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Aliyun's RPC signature (version 1.0, HMAC-SHA1) of `params` sent with `method`: Base64 of HMAC-SHA1 keyed with
/// `secret&` over `METHOD&%2F&` and the sorted, encoded query.
#[must_use]
pub fn aliyun_signature(method: &str, params: &std::collections::BTreeMap<String, String>, secret: &str) -> String {
    use base64::Engine as _;
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{}={}", pct(k), pct(v))).collect();
    let to_sign = format!("{method}&{}&{}", pct("/"), pct(&query.join("&")));
    let mut mac =
        HmacSha1::new_from_slice(format!("{secret}&").as_bytes()).unwrap_or_else(|_| unreachable!("any key length"));
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn hmac(key: &[u8], message: &str) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn sha256_hex(bytes: &[u8]) -> String {
    crate::encoding::hex(&Sha256::digest(bytes))
}

/// The `Authorization` header of a TC3-HMAC-SHA256 request for `payload` to `host` at `timestamp` (Unix seconds).
#[must_use]
pub fn authorization(secret_id: &str, secret_key: &str, host: &str, payload: &str, timestamp: i64) -> String {
    let date = chrono::DateTime::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string();
    let canonical_headers = format!("content-type:{CONTENT_TYPE}\nhost:{host}\n");
    let signed_headers = "content-type;host";
    let canonical_request = format!(
        "POST\n/\n\n{canonical_headers}\n{signed_headers}\n{}",
        sha256_hex(payload.as_bytes())
    );
    let scope = format!("{date}/{SERVICE}/tc3_request");
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let secret_date = hmac(format!("TC3{secret_key}").as_bytes(), &date);
    let secret_service = hmac(&secret_date, SERVICE);
    let secret_signing = hmac(&secret_service, "tc3_request");
    let signature = crate::encoding::hex(&hmac(&secret_signing, &to_sign));
    format!("TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}")
}

impl Sms {
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(config: SmsConfig) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { config, http })
    }

    /// Texts `code` to mainland number `phone` with the sign-in template (the code, and the minutes it works).
    ///
    /// # Errors
    /// `NumberLimited` for the provider's limits on the number, `Unreachable`, `Refused`.
    pub async fn send_code(&self, phone: &str, code: &str, minutes: u32, timestamp: i64) -> Result<(), SmsError> {
        match &self.config.provider {
            Provider::Tencent { app_id, region } => self.tencent(app_id, region, phone, code, minutes, timestamp).await,
            Provider::Aliyun => self.aliyun(phone, code, minutes, timestamp).await,
        }
    }

    async fn aliyun(&self, phone: &str, code: &str, minutes: u32, timestamp: i64) -> Result<(), SmsError> {
        let c = &self.config;
        let moment = chrono::DateTime::from_timestamp(timestamp, 0).unwrap_or_default();
        let mut params: std::collections::BTreeMap<String, String> = [
            ("AccessKeyId", c.secret_id.clone()),
            ("Action", "SendSms".to_owned()),
            ("Format", "JSON".to_owned()),
            ("PhoneNumbers", phone.to_owned()),
            ("RegionId", "cn-hangzhou".to_owned()),
            ("SignName", c.sign_name.clone()),
            ("SignatureMethod", "HMAC-SHA1".to_owned()),
            ("SignatureNonce", uuid::Uuid::new_v4().to_string()),
            ("SignatureVersion", "1.0".to_owned()),
            ("TemplateCode", c.template_id.clone()),
            (
                "TemplateParam",
                serde_json::json!({ "code": code, "minutes": minutes.to_string() }).to_string(),
            ),
            ("Timestamp", moment.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            ("Version", "2017-05-25".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let signature = aliyun_signature("POST", &params, c.secret_key.expose_secret());
        params.insert("Signature".to_owned(), signature);
        let body: Vec<String> = params.iter().map(|(k, v)| format!("{}={}", pct(k), pct(v))).collect();
        let answer = answer(
            self.http
                .post(format!("{}/", c.api_base))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.join("&")),
        )
        .await?;
        match answer["Code"].as_str() {
            Some("OK") => Ok(()),
            // The provider's flow control for a number: per minute, hour and day.
            Some(code @ ("isv.BUSINESS_LIMIT_CONTROL" | "isv.DAY_LIMIT_CONTROL")) => {
                Err(SmsError::NumberLimited(code.to_owned()))
            }
            Some(code) => Err(SmsError::Refused(code.to_owned())),
            None => Err(SmsError::Unreachable("the answer has no code".to_owned())),
        }
    }

    async fn tencent(
        &self,
        app_id: &str,
        region: &str,
        phone: &str,
        code: &str,
        minutes: u32,
        timestamp: i64,
    ) -> Result<(), SmsError> {
        let c = &self.config;
        let payload = serde_json::json!({
            "PhoneNumberSet": [format!("+86{phone}")],
            "SmsSdkAppId": app_id,
            "SignName": c.sign_name,
            "TemplateId": c.template_id,
            "TemplateParamSet": [code, minutes.to_string()],
        })
        .to_string();
        let url =
            reqwest::Url::parse(&c.api_base).map_err(|e| SmsError::Refused(format!("MINSHENG_SMS_API_BASE: {e}")))?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => return Err(SmsError::Refused("MINSHENG_SMS_API_BASE has no host".to_owned())),
        };
        let auth = authorization(&c.secret_id, c.secret_key.expose_secret(), &host, &payload, timestamp);
        let answer = answer(
            self.http
                .post(url)
                .header("Authorization", auth)
                .header("Content-Type", CONTENT_TYPE)
                .header("Host", &host)
                .header("X-TC-Action", ACTION)
                .header("X-TC-Timestamp", timestamp.to_string())
                .header("X-TC-Version", VERSION)
                .header("X-TC-Region", region)
                .body(payload),
        )
        .await?;
        let response = &answer["Response"];
        if let Some(code) = response["Error"]["Code"].as_str() {
            return Err(SmsError::Refused(code.to_owned()));
        }
        match response["SendStatusSet"][0]["Code"].as_str() {
            Some("Ok") => Ok(()),
            Some(code) if code.starts_with("LimitExceeded") => Err(SmsError::NumberLimited(code.to_owned())),
            Some(code) => Err(SmsError::Refused(code.to_owned())),
            None => Err(SmsError::Unreachable("the answer has no send status".to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliyuns_signature_is_the_one_its_documentation_works_out() {
        // The worked example of Aliyun's RPC signature documentation (DescribeRegions, key testid/testsecret).
        let params = [
            ("TimeStamp", "2016-02-23T12:46:24Z"),
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            aliyun_signature("GET", &params, "testsecret"),
            "CT9X0VtwR86fNWSnsc6v8YGOjuE="
        );
        assert_eq!(pct("a b*~/中"), "a%20b%2A~%2F%E4%B8%AD");
    }

    #[test]
    fn the_signature_is_the_one_tencent_clouds_own_sdk_computes() {
        // Computed apart from this code with tencentcloud-sdk-python-common (PyPI), Sign.sign_tc3, for this payload,
        // host, key and moment (2025-12-06T05:46:40Z).
        let header = authorization(
            "AKIDEXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            "sms.tencentcloudapi.com",
            r#"{"PhoneNumberSet":["+8613812345678"]}"#,
            1_765_000_000,
        );
        assert_eq!(
            header,
            "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2025-12-06/sms/tc3_request, SignedHeaders=content-type;host, \
             Signature=406a5a39deb3a6924018f4aa03fb752485b623d9292376be42aba06ef3495e40"
        );
    }
}
