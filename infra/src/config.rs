//! Configuration: defaults that work on a developer's machine, overridden by the environment.
//! A value that is set but wrong stops start-up with an error naming the variable.

use secrecy::{ExposeSecret, SecretString};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Where uploaded photos go. Only a local folder exists today; S3-compatible storage comes with photos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    Local(PathBuf),
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

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: SecretString,
    pub database_pool_size: usize,
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

        let database_url = get("DATABASE_URL").unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/minsheng".into());
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(err("DATABASE_URL", "must be a postgres:// or postgresql:// URL"));
        }
        let redis_url = get("REDIS_URL").unwrap_or_else(|| "redis://127.0.0.1:6379/0".into());
        if !(redis_url.starts_with("redis://")
            || redis_url.starts_with("rediss://")
            || redis_url.starts_with("unix://"))
        {
            return Err(err("REDIS_URL", "must be a redis://, rediss:// or unix:// URL"));
        }
        let redis_prefix = get("MINSHENG_REDIS_PREFIX").unwrap_or_else(|| "minsheng:".into());
        if redis_prefix.chars().any(char::is_whitespace) || redis_prefix.len() > 64 {
            return Err(err(
                "MINSHENG_REDIS_PREFIX",
                "must be at most 64 characters without spaces",
            ));
        }

        let bind = get("MINSHENG_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind
            .parse()
            .map_err(|_| err("MINSHENG_BIND", "must be an address and port, such as 127.0.0.1:8080"))?;

        let (jwt_secret, jwt_secret_is_default) = match get("MINSHENG_JWT_SECRET") {
            Some(s) if s.len() < 32 => return Err(err("MINSHENG_JWT_SECRET", "must be at least 32 bytes long")),
            Some(s) => (s, false),
            None => (DEV_JWT_SECRET.to_owned(), true),
        };
        let access_token_ttl = Duration::from_secs(parse_number(
            "MINSHENG_ACCESS_TOKEN_TTL_SECONDS",
            get("MINSHENG_ACCESS_TOKEN_TTL_SECONDS"),
            900,
        )?);
        if access_token_ttl < Duration::from_secs(60) || access_token_ttl > Duration::from_secs(86_400) {
            return Err(err("MINSHENG_ACCESS_TOKEN_TTL_SECONDS", "must be between 60 and 86400"));
        }

        let refresh_token_ttl = Duration::from_secs(ranged(
            "MINSHENG_REFRESH_TOKEN_TTL_SECONDS",
            get("MINSHENG_REFRESH_TOKEN_TTL_SECONDS"),
            30 * 86_400,
            3_600..=365 * 86_400,
        )?);
        let sign_in_limits = SignInLimits {
            per_phone: ranged(
                "MINSHENG_SIGNIN_LIMIT_PER_PHONE",
                get("MINSHENG_SIGNIN_LIMIT_PER_PHONE"),
                10,
                1..=10_000,
            )?,
            per_ip: ranged(
                "MINSHENG_SIGNIN_LIMIT_PER_IP",
                get("MINSHENG_SIGNIN_LIMIT_PER_IP"),
                100,
                1..=1_000_000,
            )?,
            window: Duration::from_secs(ranged(
                "MINSHENG_SIGNIN_WINDOW_SECONDS",
                get("MINSHENG_SIGNIN_WINDOW_SECONDS"),
                900,
                1..=86_400,
            )?),
        };
        let writes_per_minute = ranged(
            "MINSHENG_WRITES_PER_MINUTE",
            get("MINSHENG_WRITES_PER_MINUTE"),
            120,
            1..=1_000_000,
        )?;
        let trust_forwarded_for = match get("MINSHENG_TRUST_FORWARDED_FOR").as_deref() {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(_) => return Err(err("MINSHENG_TRUST_FORWARDED_FOR", "must be true or false")),
        };

        let public_url = get("MINSHENG_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(err("MINSHENG_PUBLIC_URL", "must start with http:// or https://"));
        }
        let public_url = public_url.trim_end_matches('/').to_owned();

        let storage = match get("MINSHENG_STORAGE") {
            None => Storage::Local(PathBuf::from(".data/photos")),
            Some(s) if s.starts_with("s3://") => {
                return Err(err(
                    "MINSHENG_STORAGE",
                    "S3-compatible storage is not supported yet; use a local folder",
                ))
            }
            Some(s) => Storage::Local(PathBuf::from(s.strip_prefix("file://").unwrap_or(&s))),
        };

        let wechat = match (get("MINSHENG_WECHAT_APPID"), get("MINSHENG_WECHAT_SECRET")) {
            (None, None) => None,
            (Some(appid), Some(secret)) => {
                if !appid.starts_with("wx") || appid.len() != 18 {
                    return Err(err(
                        "MINSHENG_WECHAT_APPID",
                        "must be a mini-program AppID: wx followed by 16 characters",
                    ));
                }
                let code_env_version = get("MINSHENG_WECHAT_CODE_ENV_VERSION").unwrap_or_else(|| "release".into());
                if !matches!(code_env_version.as_str(), "release" | "trial" | "develop") {
                    return Err(err(
                        "MINSHENG_WECHAT_CODE_ENV_VERSION",
                        "must be release, trial or develop",
                    ));
                }
                let code_page = get("MINSHENG_WECHAT_CODE_PAGE").unwrap_or_else(|| "pages/scene/index".into());
                if code_page.starts_with('/') || code_page.contains('?') || code_page.len() > 128 {
                    return Err(err(
                        "MINSHENG_WECHAT_CODE_PAGE",
                        "must be a page path such as pages/scene/index, without a leading / or a query",
                    ));
                }
                let mut templates = Vec::new();
                for pair in get("MINSHENG_WECHAT_TEMPLATES").unwrap_or_default().split(',') {
                    let pair = pair.trim();
                    if pair.is_empty() {
                        continue;
                    }
                    match pair.split_once('=') {
                        Some((kind, id)) if !kind.trim().is_empty() && !id.trim().is_empty() => {
                            templates.push((kind.trim().to_owned(), id.trim().to_owned()));
                        }
                        _ => {
                            return Err(err(
                                "MINSHENG_WECHAT_TEMPLATES",
                                "must be a list like accepted=TEMPLATE_ID,replied=TEMPLATE_ID",
                            ))
                        }
                    }
                }
                let push_token = match get("MINSHENG_WECHAT_PUSH_TOKEN") {
                    None => None,
                    Some(t) if (3..=32).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                        Some(SecretString::from(t))
                    }
                    Some(_) => {
                        return Err(err(
                            "MINSHENG_WECHAT_PUSH_TOKEN",
                            "must be the message push Token: 3 to 32 letters and digits",
                        ))
                    }
                };
                Some(WeChat {
                    appid,
                    secret: SecretString::from(secret),
                    code_page,
                    code_env_version,
                    templates,
                    push_token,
                })
            }
            (Some(_), None) => {
                return Err(err(
                    "MINSHENG_WECHAT_SECRET",
                    "must be set when MINSHENG_WECHAT_APPID is",
                ))
            }
            (None, Some(_)) => {
                return Err(err(
                    "MINSHENG_WECHAT_APPID",
                    "must be set when MINSHENG_WECHAT_SECRET is",
                ))
            }
        };
        let wechat_api_base = get("MINSHENG_WECHAT_API_BASE").unwrap_or_else(|| "https://api.weixin.qq.com".into());
        if !(wechat_api_base.starts_with("http://") || wechat_api_base.starts_with("https://")) {
            return Err(err("MINSHENG_WECHAT_API_BASE", "must start with http:// or https://"));
        }

        let sms = sms_config(&get)?;

        let database_pool_size = parse_number("MINSHENG_DATABASE_POOL_SIZE", get("MINSHENG_DATABASE_POOL_SIZE"), 16)?;
        if !(1..=500).contains(&database_pool_size) {
            return Err(err("MINSHENG_DATABASE_POOL_SIZE", "must be between 1 and 500"));
        }
        let body_limit = parse_number("MINSHENG_BODY_LIMIT", get("MINSHENG_BODY_LIMIT"), 64 * 1024)?;
        if !(1024..=64 * 1024 * 1024).contains(&body_limit) {
            return Err(err("MINSHENG_BODY_LIMIT", "must be between 1024 and 67108864 bytes"));
        }
        let log_format = match get("MINSHENG_LOG_FORMAT").as_deref() {
            None | Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(_) => return Err(err("MINSHENG_LOG_FORMAT", "must be json or pretty")),
        };

        let issues = IssueLimits {
            reports_per_day: u32::try_from(ranged(
                "MINSHENG_REPORTS_PER_DAY",
                get("MINSHENG_REPORTS_PER_DAY"),
                20,
                1..=10_000,
            )?)
            .unwrap_or(20),
            max_rounds: u16::try_from(ranged("MINSHENG_MAX_ROUNDS", get("MINSHENG_MAX_ROUNDS"), 3, 1..=10)?)
                .unwrap_or(3),
        };
        let photos = PhotoLimits {
            max_bytes: usize::try_from(ranged(
                "MINSHENG_PHOTO_MAX_BYTES",
                get("MINSHENG_PHOTO_MAX_BYTES"),
                15 * 1024 * 1024,
                1024..=100 * 1024 * 1024,
            )?)
            .unwrap_or(15 * 1024 * 1024),
            max_pixels: ranged(
                "MINSHENG_PHOTO_MAX_PIXELS",
                get("MINSHENG_PHOTO_MAX_PIXELS"),
                50_000_000,
                10_000..=200_000_000,
            )?,
        };

        let share = |name: &'static str, default: domain::issue::warning::Share| match get(name) {
            None => Ok(default),
            Some(raw) => domain::issue::warning::Share::parse(name, &raw).map_err(|e| err(name, &e.message)),
        };
        let hours = |name: &'static str| -> Result<chrono::Duration, ConfigError> {
            let h = ranged(name, get(name), 24, 1..=24 * 30)?;
            Ok(chrono::Duration::hours(i64::try_from(h).unwrap_or(24)))
        };
        let supervision = domain::issue::warning::Supervision {
            share: share("MINSHENG_WARN_SHARE", domain::issue::warning::Share::TWO_THIRDS)?,
            key_share: share("MINSHENG_KEY_WARN_SHARE", domain::issue::warning::Share::HALF)?,
            escalate_again: hours("MINSHENG_ESCALATE_AGAIN_HOURS")?,
            urge_every: hours("MINSHENG_URGE_EVERY_HOURS")?,
        };
        let worker = WorkerSettings {
            tick: Duration::from_millis(ranged(
                "MINSHENG_WORKER_TICK_MS",
                get("MINSHENG_WORKER_TICK_MS"),
                1000,
                10..=60_000,
            )?),
            lease: Duration::from_secs(ranged(
                "MINSHENG_WORKER_LEASE_SECS",
                get("MINSHENG_WORKER_LEASE_SECS"),
                60,
                1..=3600,
            )?),
            max_attempts: u32::try_from(ranged(
                "MINSHENG_OUTBOX_MAX_ATTEMPTS",
                get("MINSHENG_OUTBOX_MAX_ATTEMPTS"),
                8,
                1..=50,
            )?)
            .unwrap_or(8),
            rebuild_every: Duration::from_secs(ranged(
                "MINSHENG_SCHEDULE_REBUILD_SECS",
                get("MINSHENG_SCHEDULE_REBUILD_SECS"),
                600,
                10..=86_400,
            )?),
            batches: usize::try_from(ranged(
                "MINSHENG_WORKER_BATCHES",
                get("MINSHENG_WORKER_BATCHES"),
                2,
                1..=16,
            )?)
            .unwrap_or(2),
        };

        let mut trusted = Vec::new();
        for net in get("MINSHENG_WEBHOOK_TRUSTED_NETWORKS").unwrap_or_default().split(',') {
            let net = net.trim();
            if net.is_empty() {
                continue;
            }
            // A lone address is a network of one.
            let parsed = net
                .parse::<ipnet::IpNet>()
                .or_else(|_| net.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
            trusted.push(parsed.map_err(|_| {
                err(
                    "MINSHENG_WEBHOOK_TRUSTED_NETWORKS",
                    "must be a comma-separated list of networks such as 10.20.0.0/16,192.168.8.0/24",
                )
            })?);
        }
        let webhook_destinations = domain::organisation::webhook::Destinations::trusting(trusted);
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

        let console_dir = get("MINSHENG_CONSOLE_DIR").map_or_else(
            || std::path::PathBuf::from("clients/console/dist"),
            std::path::PathBuf::from,
        );
        let citizen_dir = get("MINSHENG_CITIZEN_DIR").map_or_else(
            || std::path::PathBuf::from("clients/citizen/dist/build/h5"),
            std::path::PathBuf::from,
        );
        let map_tiles = get("MINSHENG_MAP_TILES")
            .map(|template| {
                MapTiles::parse(
                    &template,
                    &get("MINSHENG_MAP_TILE_SUBDOMAINS").unwrap_or_default(),
                    get("MINSHENG_MAP_ATTRIBUTION"),
                )
                .map_err(|problem| err("MINSHENG_MAP_TILES", &problem))
            })
            .transpose()?;

        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let http_workers = parse_number("MINSHENG_HTTP_WORKERS", get("MINSHENG_HTTP_WORKERS"), cores as u64)?;
        if !(1..=256).contains(&http_workers) {
            return Err(err("MINSHENG_HTTP_WORKERS", "must be between 1 and 256"));
        }

        Ok(Self {
            http_workers: usize::try_from(http_workers).unwrap_or(cores),
            database_url: SecretString::from(database_url),
            database_pool_size: usize::try_from(database_pool_size).unwrap_or(16),
            redis_url: SecretString::from(redis_url),
            redis_prefix,
            bind,
            jwt_secret: SecretString::from(jwt_secret),
            jwt_secret_is_default,
            access_token_ttl,
            refresh_token_ttl,
            sign_in_limits,
            writes_per_minute,
            trust_forwarded_for,
            public_url,
            storage,
            wechat,
            wechat_api_base: wechat_api_base.trim_end_matches('/').to_owned(),
            sms,
            body_limit: usize::try_from(body_limit).unwrap_or(64 * 1024),
            log_format,
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_tile_template_names_the_origins_images_may_come_from() {
        let t = super::MapTiles::parse("https://t{s}.tianditu.gov.cn/img_w/{z}/{x}/{y}?tk=k", "0, 1,2", None)
            .expect("a template");
        assert_eq!(
            t.origins,
            [
                "https://t0.tianditu.gov.cn",
                "https://t1.tianditu.gov.cn",
                "https://t2.tianditu.gov.cn"
            ]
        );
        let one = super::MapTiles::parse("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png", "", None).expect("a template");
        assert_eq!(one.origins, ["http://10.1.2.3:8080"]);
        for (template, subdomains) in [
            ("https://tiles.example/{z}/{x}.png", ""),
            ("https://t{s}.example/{z}/{x}/{y}.png", ""),
            ("file:///tiles/{z}/{x}/{y}.png", ""),
            ("javascript:{z}{x}{y}", ""),
        ] {
            assert!(
                super::MapTiles::parse(template, subdomains, None).is_err(),
                "{template}"
            );
        }
    }

    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_work_locally() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert!(c.jwt_secret_is_default);
        assert!(c.wechat.is_none());
        assert_eq!(c.wechat_api_base, "https://api.weixin.qq.com");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert_eq!(
            c.worker.batches, 2,
            "a worker takes two batches of deadline steps at once"
        );
    }

    #[test]
    fn a_wrong_value_names_its_variable() {
        for (name, value) in [
            ("MINSHENG_BIND", "eight-thousand"),
            ("DATABASE_URL", "mysql://x"),
            ("REDIS_URL", "http://x"),
            ("MINSHENG_JWT_SECRET", "short"),
            ("MINSHENG_STORAGE", "s3://bucket"),
            ("MINSHENG_BODY_LIMIT", "lots"),
            ("MINSHENG_PUBLIC_URL", "example.org"),
            ("MINSHENG_WECHAT_API_BASE", "ftp://x"),
            ("MINSHENG_ACCESS_TOKEN_TTL_SECONDS", "5"),
            ("MINSHENG_REFRESH_TOKEN_TTL_SECONDS", "60"),
            ("MINSHENG_SIGNIN_LIMIT_PER_PHONE", "0"),
            ("MINSHENG_SIGNIN_LIMIT_PER_IP", "many"),
            ("MINSHENG_SIGNIN_WINDOW_SECONDS", "100000"),
            ("MINSHENG_TRUST_FORWARDED_FOR", "perhaps"),
            ("MINSHENG_WORKER_BATCHES", "0"),
            ("MINSHENG_WORKER_BATCHES", "17"),
        ] {
            let e = config(&[(name, value)]).expect_err(name);
            assert_eq!(e.variable, name);
        }
        assert_eq!(
            config(&[("MINSHENG_WECHAT_APPID", "wx0123456789abcdef")])
                .expect_err("half")
                .variable,
            "MINSHENG_WECHAT_SECRET"
        );
    }

    #[test]
    fn the_mini_programs_code_settings_are_checked() {
        let wechat = [
            ("MINSHENG_WECHAT_APPID", "wx0123456789abcdef"),
            ("MINSHENG_WECHAT_SECRET", "s"),
        ];
        let c = config(&wechat).expect("valid");
        let w = c.wechat.expect("configured");
        assert_eq!(
            (w.code_page.as_str(), w.code_env_version.as_str()),
            ("pages/scene/index", "release")
        );
        for (name, value) in [
            ("MINSHENG_WECHAT_CODE_ENV_VERSION", "beta"),
            ("MINSHENG_WECHAT_CODE_PAGE", "/pages/index?x=1"),
        ] {
            let mut vars = wechat.to_vec();
            vars.push((name, value));
            assert_eq!(config(&vars).expect_err(name).variable, name);
        }
    }

    #[test]
    fn urls_lose_their_passwords_in_logs() {
        assert_eq!(redact_url("postgres://u:pw@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }
}
