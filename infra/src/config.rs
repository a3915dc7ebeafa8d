//! Configuration: defaults that work on a developer's machine, overridden by the environment.
//! A value that is set but wrong stops start-up with an error naming the variable.

use secrecy::{ExposeSecret, SecretString};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Where uploaded photos go: a local folder (one machine), or S3-compatible object storage (several).
#[derive(Debug, Clone)]
pub enum Storage {
    Local(PathBuf),
    S3(S3),
}

/// A bucket of S3-compatible object storage (`MINSHENG_STORAGE=s3://bucket/prefix` and `MINSHENG_S3_*`).
#[derive(Debug, Clone)]
pub struct S3 {
    pub bucket: String,
    /// Keys are stored under it (no leading or trailing `/`); empty: at the bucket's root.
    pub prefix: String,
    /// The service's address (`https://oss-cn-hangzhou.aliyuncs.com`, `http://10.1.2.3:9000`); `None`: AWS's own.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// Path-style addressing (`endpoint/bucket/key`: MinIO, Ceph RGW) rather than virtual-hosted
    /// (`bucket.endpoint/key`: AWS, OSS, COS, OBS).
    pub path_style: bool,
    /// Set: a picture is answered by a redirect to a link presigned for this long, which the reader fetches from
    /// the store itself; unset: the service streams it.
    pub presign: Option<Duration>,
}

impl S3 {
    /// The endpoint the client addresses: the service's, with the bucket as its first label when virtual-hosted.
    #[must_use]
    pub fn endpoint_url(&self) -> Option<String> {
        let endpoint = self.endpoint.as_deref()?.trim_end_matches('/');
        if self.path_style {
            return Some(endpoint.to_owned());
        }
        let (scheme, host) = endpoint.split_once("://").unwrap_or(("https", endpoint));
        Some(format!("{scheme}://{}.{host}", self.bucket))
    }
}

/// The WeChat mini-program's credentials; absent when WeChat is not configured.
#[derive(Debug, Clone)]
pub struct WeChat {
    pub appid: String,
    pub secret: SecretString,
    /// The mini-program page a scanned code opens, with the scene as its query.
    pub code_page: String,
    /// `release`, `trial` or `develop`: which version of the mini-program a code opens.
    pub code_env_version: String,
    /// Subscribe-message template ids by what they announce (`accepted`, `routed`, `replied`, `closed`), from
    /// `MINSHENG_WECHAT_TEMPLATES=accepted=ID,replied=ID,…`. A notice without a template is sent in-app only.
    pub templates: Vec<(String, String)>,
    /// The Token of the mini-program's message push (消息推送, 明文模式, JSON), with which WeChat signs what it
    /// pushes (`MINSHENG_WECHAT_PUSH_TOKEN`, 3–32 letters and digits). Without it citizens' photos are not sent to
    /// WeChat's asynchronous content check, whose verdicts arrive by push.
    pub push_token: Option<SecretString>,
}

/// How many password sign-in attempts are let through per window, per phone number and per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    pub per_phone: u64,
    pub per_ip: u64,
    pub window: Duration,
}

/// A streaming replica of the primary, for the reads that may lag a moment (`DATABASE_READ_URL`).
#[derive(Debug, Clone)]
pub struct ReadReplica {
    pub url: SecretString,
    /// Past this much lag the replica is passed over and reads go to the primary (`MINSHENG_READ_MAX_LAG_SECONDS`);
    /// an account that wrote within it reads from the primary too, so it sees its own writes.
    pub max_lag: Duration,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: SecretString,
    pub database_pool_size: usize,
    /// Where migrations run and take their lock: a direct connection to the primary when `DATABASE_URL` goes
    /// through a pooler in transaction mode (`MINSHENG_MIGRATION_DATABASE_URL`; default `DATABASE_URL`).
    pub migration_database_url: SecretString,
    pub database_read: Option<ReadReplica>,
    pub redis_url: SecretString,
    /// Every Redis key this instance writes starts with this, so deployments (and tests) can share one server.
    pub redis_prefix: String,
    pub bind: SocketAddr,
    pub jwt_secret: SecretString,
    /// True when the JWT secret is the built-in development one: start-up warns about it.
    pub jwt_secret_is_default: bool,
    pub access_token_ttl: Duration,
    /// How long a refresh token lasts unused; each use gives a new one.
    pub refresh_token_ttl: Duration,
    pub sign_in_limits: SignInLimits,
    /// Writes (POST, PUT, PATCH, DELETE) one signed-in account may send per minute.
    pub writes_per_minute: u64,
    /// Take the client's address from the last `X-Forwarded-For` entry (set only behind a proxy that appends it).
    pub trust_forwarded_for: bool,
    pub public_url: String,
    pub storage: Storage,
    pub wechat: Option<WeChat>,
    pub wechat_api_base: String,
    /// The SMS provider for sign-in codes on the phone web pages (`MINSHENG_SMS_*`); `None`: not configured.
    pub sms: Option<crate::sms::SmsConfig>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    pub issues: IssueLimits,
    pub photos: PhotoLimits,
    pub supervision: domain::issue::warning::Supervision,
    pub worker: WorkerSettings,
    /// `json` (default) or `pretty`.
    pub log_format: LogFormat,
    /// HTTP worker threads; defaults to the number of cores.
    pub http_workers: usize,
    /// Where webhooks may be delivered: public addresses and the networks named in
    /// `MINSHENG_WEBHOOK_TRUSTED_NETWORKS`.
    pub webhook_destinations: domain::organisation::webhook::Destinations,
    /// The bearer token `/metrics` asks for; without one, `/metrics` answers only callers on this host (loopback).
    pub metrics_token: Option<SecretString>,
    /// How long a citizen must have followed a deputy before rating them (三维联评's voters' part).
    pub voter_rating_min_follow: chrono::Duration,
    /// The console's built files (`clients/console/dist`), served at `/console/`.
    pub console_dir: std::path::PathBuf,
    /// The citizens' phone pages (uni-app's H5 build), served at `/m/` (`MINSHENG_CITIZEN_DIR`).
    pub citizen_dir: std::path::PathBuf,
    /// The tile server the console's maps load from; without one they draw points on a plain grid.
    pub map_tiles: Option<MapTiles>,
}

/// A tile server the deployment names (天地图, an intranet server): the console's maps load their tiles from it, and
/// the console's Content-Security-Policy lets images come from its origin and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapTiles {
    /// An XYZ template with `{z}`, `{x}`, `{y}` and optionally `{s}` (a subdomain out of `subdomains`).
    pub template: String,
    pub subdomains: Vec<String>,
    /// What the map credits, as the tile server's terms ask.
    pub attribution: Option<String>,
    /// The origins the template can reach (one per subdomain), for the Content-Security-Policy's `img-src`.
    pub origins: Vec<String>,
}

impl MapTiles {
    /// Reads a template such as `https://t{s}.tianditu.gov.cn/vec_w/wmts?…&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=…`.
    ///
    /// # Errors
    /// A message saying what is wrong with it.
    pub fn parse(template: &str, subdomains: &str, attribution: Option<String>) -> Result<Self, String> {
        for part in ["{z}", "{x}", "{y}"] {
            if !template.contains(part) {
                return Err(format!("must contain {part} (an XYZ tile template)"));
            }
        }
        let subdomains: Vec<String> = subdomains
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let hosts: Vec<String> = if template.contains("{s}") {
            if subdomains.is_empty() {
                return Err("uses {s}: name its subdomains in MINSHENG_MAP_TILE_SUBDOMAINS".to_owned());
            }
            subdomains.iter().map(|s| template.replace("{s}", s)).collect()
        } else {
            vec![template.to_owned()]
        };
        let mut origins = Vec::new();
        for host in hosts {
            let url = url::Url::parse(&host.replace(['{', '}'], "")).map_err(|e| format!("is not a URL ({e})"))?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err("must be an http:// or https:// URL".to_owned());
            }
            let origin = url.origin().ascii_serialization();
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        Ok(Self {
            template: template.to_owned(),
            subdomains,
            attribution,
            origins,
        })
    }
}

/// Bounds of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueLimits {
    /// Reports one citizen may make per day (Asia/Shanghai).
    pub reports_per_day: u32,
    /// Handling rounds an issue may have: the first and the reopens.
    pub max_rounds: u16,
}

/// How the background worker paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerSettings {
    /// How often it looks for due deadline steps and messages to deliver.
    pub tick: Duration,
    /// How long a claim on a schedule entry or an outbox message lasts before another worker may take it over.
    pub lease: Duration,
    /// Delivery attempts before a message is a dead letter.
    pub max_attempts: u32,
    /// How often the schedule is rebuilt from PostgreSQL even when Redis seems whole.
    pub rebuild_every: Duration,
    /// How many batches of deadline steps it takes at once, each in its own transaction and connection.
    pub batches: usize,
    /// How long delivered outbox messages are kept (`MINSHENG_RETAIN_DELIVERED_DAYS`).
    pub retain_delivered: Duration,
    /// How long notifications are kept once read (`MINSHENG_RETAIN_READ_NOTIFICATIONS_DAYS`).
    pub retain_read_notifications: Duration,
}

/// Bounds of an uploaded photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoLimits {
    pub max_bytes: usize,
    pub max_pixels: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// A variable that is set but cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

const DEV_JWT_SECRET: &str = "minsheng-development-secret-change-me-in-production";

impl Config {
    /// Reads the process environment.
    ///
    /// # Errors
    /// `ConfigError` naming the first variable that is set but wrong.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests can pass a map instead of the process environment.
    ///
    /// # Errors
    /// `ConfigError` naming the first variable that is set but wrong.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let (database_url, redis_url, redis_prefix) = stores(&get)?;
        let (migration_database_url, database_read) = databases(&get, &database_url)?;
        let serving = serving(&get)?;
        let tokens = tokens(&get)?;
        let sign_in_limits = sign_in_limits(&get)?;
        let writes_per_minute = ranged(
            "MINSHENG_WRITES_PER_MINUTE",
            get("MINSHENG_WRITES_PER_MINUTE"),
            120,
            1..=1_000_000,
        )?;
        let storage = storage(&get)?;
        let wechat = wechat_config(&get)?;
        let wechat_api_base = get("MINSHENG_WECHAT_API_BASE").unwrap_or_else(|| "https://api.weixin.qq.com".into());
        if !(wechat_api_base.starts_with("http://") || wechat_api_base.starts_with("https://")) {
            return Err(err("MINSHENG_WECHAT_API_BASE", "must start with http:// or https://"));
        }
        let sms = sms_config(&get)?;
        let database_pool_size = parse_number("MINSHENG_DATABASE_POOL_SIZE", get("MINSHENG_DATABASE_POOL_SIZE"), 16)?;
        if !(1..=500).contains(&database_pool_size) {
            return Err(err("MINSHENG_DATABASE_POOL_SIZE", "must be between 1 and 500"));
        }
        let (issues, photos) = limits(&get)?;
        let supervision = supervision(&get)?;
        let worker = worker(&get)?;
        let webhook_destinations = webhook_destinations(&get)?;
        let metrics_token = match get("MINSHENG_METRICS_TOKEN") {
            Some(t) if t.len() < 16 => return Err(err("MINSHENG_METRICS_TOKEN", "must be at least 16 characters")),
            t => t.map(SecretString::from),
        };
        let voter_rating_min_follow = chrono::Duration::days(
            i64::try_from(ranged(
                "MINSHENG_VOTER_RATING_MIN_FOLLOW_DAYS",
                get("MINSHENG_VOTER_RATING_MIN_FOLLOW_DAYS"),
                30,
                0..=366,
            )?)
            .unwrap_or(30),
        );
        let (console_dir, citizen_dir, map_tiles) = clients(&get)?;
        Ok(Self {
            http_workers: serving.http_workers,
            database_url: SecretString::from(database_url),
            migration_database_url,
            database_read,
            database_pool_size: usize::try_from(database_pool_size).unwrap_or(16),
            redis_url: SecretString::from(redis_url),
            redis_prefix,
            bind: serving.bind,
            jwt_secret: SecretString::from(tokens.secret),
            jwt_secret_is_default: tokens.secret_is_default,
            access_token_ttl: tokens.access_ttl,
            refresh_token_ttl: tokens.refresh_ttl,
            sign_in_limits,
            writes_per_minute,
            trust_forwarded_for: serving.trust_forwarded_for,
            public_url: serving.public_url,
            storage,
            wechat,
            wechat_api_base: wechat_api_base.trim_end_matches('/').to_owned(),
            sms,
            body_limit: serving.body_limit,
            log_format: serving.log_format,
            issues,
            photos,
            supervision,
            worker,
            webhook_destinations,
            metrics_token,
            voter_rating_min_follow,
            console_dir,
            citizen_dir,
            map_tiles,
        })
    }

    /// The database URL with any password replaced, for log lines.
    #[must_use]
    pub fn database_url_for_logs(&self) -> String {
        redact_url(self.database_url.expose_secret())
    }
}

/// `MINSHENG_SMS_PROVIDER` (`tencent` or `aliyun`) and its settings, or nothing.
fn sms_config(get: &impl Fn(&str) -> Option<String>) -> Result<Option<crate::sms::SmsConfig>, ConfigError> {
    let need = |name: &'static str| {
        get(name)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| err(name, "must be set when MINSHENG_SMS_PROVIDER is"))
    };
    let (provider, default_base) = match get("MINSHENG_SMS_PROVIDER").as_deref() {
        None => return Ok(None),
        Some("tencent") => (
            crate::sms::Provider::Tencent {
                app_id: need("MINSHENG_SMS_SDK_APP_ID")?,
                region: get("MINSHENG_SMS_REGION").unwrap_or_else(|| "ap-guangzhou".into()),
            },
            "https://sms.tencentcloudapi.com",
        ),
        Some("aliyun") => (crate::sms::Provider::Aliyun, "https://dysmsapi.aliyuncs.com"),
        Some(_) => {
            return Err(err(
                "MINSHENG_SMS_PROVIDER",
                "must be tencent (Tencent Cloud SMS) or aliyun (Aliyun SMS)",
            ))
        }
    };
    let api_base = get("MINSHENG_SMS_API_BASE").unwrap_or_else(|| default_base.into());
    if !(api_base.starts_with("http://") || api_base.starts_with("https://")) {
        return Err(err("MINSHENG_SMS_API_BASE", "must start with http:// or https://"));
    }
    Ok(Some(crate::sms::SmsConfig {
        provider,
        secret_id: need("MINSHENG_SMS_SECRET_ID")?,
        secret_key: SecretString::from(need("MINSHENG_SMS_SECRET_KEY")?),
        sign_name: need("MINSHENG_SMS_SIGN_NAME")?,
        template_id: need("MINSHENG_SMS_TEMPLATE_ID")?,
        api_base: api_base.trim_end_matches('/').to_owned(),
    }))
}

fn err(variable: &'static str, problem: &str) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.to_owned(),
    }
}

/// A true-or-false setting (`true`/`1`, `false`/`0`), false when unset.
fn flag(get: &impl Fn(&str) -> Option<String>, variable: &'static str) -> Result<bool, ConfigError> {
    match get(variable).as_deref() {
        None | Some("false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(_) => Err(err(variable, "must be true or false")),
    }
}

/// Checks that `url` is PostgreSQL's.
fn postgres_url(variable: &'static str, url: &str) -> Result<(), ConfigError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(())
    } else {
        Err(err(variable, "must be a postgres:// or postgresql:// URL"))
    }
}

fn parse_number(variable: &'static str, raw: Option<String>, default: u64) -> Result<u64, ConfigError> {
    raw.map_or(Ok(default), |v| {
        v.parse().map_err(|_| err(variable, "must be a whole number"))
    })
}

fn ranged(
    variable: &'static str,
    raw: Option<String>,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, ConfigError> {
    let value = parse_number(variable, raw, default)?;
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError {
            variable,
            problem: format!("must be between {} and {}", range.start(), range.end()),
        })
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
#[must_use]
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}")
        }
        None => url.to_owned(),
    }
}

mod read;
use read::{
    clients, databases, limits, serving, sign_in_limits, storage, stores, supervision, tokens, webhook_destinations,
    wechat_config, worker,
};

#[cfg(test)]
mod tests;
