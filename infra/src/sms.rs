//! Text messages (短信验证码) through Tencent Cloud SMS, spoken exactly as `sms.tencentcloudapi.com` speaks it: API 3.0,
//! action `SendSms`, version 2021-01-11, every request signed with TC3-HMAC-SHA256. Only the base URL differs between
//! production and the tests' stand-in, which checks the signature the same way.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::time::Duration;

const SERVICE: &str = "sms";
const ACTION: &str = "SendSms";
const VERSION: &str = "2021-01-11";
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The SMS provider's settings: an account's API key, the SMS application, its approved signature and template.
#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub secret_id: String,
    pub secret_key: SecretString,
    /// The SMS application (`SdkAppId`, 1400…).
    pub app_id: String,
    /// The approved signature shown as 【…】 (签名).
    pub sign_name: String,
    /// The approved template of the sign-in message, taking the code and the minutes it works for.
    pub template_id: String,
    pub region: String,
    /// `https://sms.tencentcloudapi.com` (tests point it at a local stand-in).
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

/// The Tencent Cloud SMS client.
pub struct Sms {
    config: SmsConfig,
    http: reqwest::Client,
}

type HmacSha256 = Hmac<Sha256>;

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
        let c = &self.config;
        let payload = serde_json::json!({
            "PhoneNumberSet": [format!("+86{phone}")],
            "SmsSdkAppId": c.app_id,
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
        let res = self
            .http
            .post(url)
            .header("Authorization", auth)
            .header("Content-Type", CONTENT_TYPE)
            .header("Host", &host)
            .header("X-TC-Action", ACTION)
            .header("X-TC-Timestamp", timestamp.to_string())
            .header("X-TC-Version", VERSION)
            .header("X-TC-Region", &c.region)
            .body(payload)
            .send()
            .await
            .map_err(|e| SmsError::Unreachable(e.without_url().to_string()))?;
        let answer: serde_json::Value = res
            .json()
            .await
            .map_err(|e| SmsError::Unreachable(e.without_url().to_string()))?;
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
