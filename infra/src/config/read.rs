//! Reading the parts of the configuration that take more than one variable, each checked as `Config::from_lookup`
//! checks the rest: the first variable set but wrong is named.

use super::{
    err, flag, parse_number, postgres_url, ranged, ConfigError, IssueLimits, LogFormat, MapTiles, PhotoLimits,
    SignInLimits, Storage, WeChat, WorkerSettings, DEV_JWT_SECRET,
};
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How many wrong sign-ins a phone and an address get, and over what window.
pub(super) fn sign_in_limits(get: &impl Fn(&str) -> Option<String>) -> Result<SignInLimits, ConfigError> {
    Ok(SignInLimits {
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
    })
}

/// The mini-program, when both its AppID and secret are set (one without the other is an error).
pub(super) fn wechat_config(get: &impl Fn(&str) -> Option<String>) -> Result<Option<WeChat>, ConfigError> {
    Ok(match (get("MINSHENG_WECHAT_APPID"), get("MINSHENG_WECHAT_SECRET")) {
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
    })
}

/// How many reports a citizen files a day, how many rounds an issue takes, and how large a photo may be.
pub(super) fn limits(get: &impl Fn(&str) -> Option<String>) -> Result<(IssueLimits, PhotoLimits), ConfigError> {
    let issues = IssueLimits {
        reports_per_day: u32::try_from(ranged(
            "MINSHENG_REPORTS_PER_DAY",
            get("MINSHENG_REPORTS_PER_DAY"),
            20,
            1..=10_000,
        )?)
        .unwrap_or(20),
        max_rounds: u16::try_from(ranged("MINSHENG_MAX_ROUNDS", get("MINSHENG_MAX_ROUNDS"), 3, 1..=10)?).unwrap_or(3),
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
    Ok((issues, photos))
}

/// When deadlines warn, escalate again and are urged again.
pub(super) fn supervision(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<domain::issue::warning::Supervision, ConfigError> {
    let share = |name: &'static str, default: domain::issue::warning::Share| match get(name) {
        None => Ok(default),
        Some(raw) => domain::issue::warning::Share::parse(name, &raw).map_err(|e| err(name, &e.message)),
    };
    let hours = |name: &'static str| -> Result<chrono::Duration, ConfigError> {
        let h = ranged(name, get(name), 24, 1..=24 * 30)?;
        Ok(chrono::Duration::hours(i64::try_from(h).unwrap_or(24)))
    };
    Ok(domain::issue::warning::Supervision {
        share: share("MINSHENG_WARN_SHARE", domain::issue::warning::Share::TWO_THIRDS)?,
        key_share: share("MINSHENG_KEY_WARN_SHARE", domain::issue::warning::Share::HALF)?,
        escalate_again: hours("MINSHENG_ESCALATE_AGAIN_HOURS")?,
        urge_every: hours("MINSHENG_URGE_EVERY_HOURS")?,
    })
}

/// How the worker ticks, leases, retries and rebuilds its schedule, and how long it keeps what it may retire.
pub(super) fn worker(get: &impl Fn(&str) -> Option<String>) -> Result<WorkerSettings, ConfigError> {
    let days = |name: &'static str, default: u64| -> Result<Duration, ConfigError> {
        Ok(Duration::from_secs(
            ranged(name, get(name), default, 0..=3650)? * 86_400,
        ))
    };
    Ok(WorkerSettings {
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
        retain_delivered: days("MINSHENG_RETAIN_DELIVERED_DAYS", 30)?,
        retain_read_notifications: days("MINSHENG_RETAIN_READ_NOTIFICATIONS_DAYS", 180)?,
    })
}

/// The networks webhooks may be sent into besides the public internet.
pub(super) fn webhook_destinations(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<domain::organisation::webhook::Destinations, ConfigError> {
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
    Ok(domain::organisation::webhook::Destinations::trusting(trusted))
}

/// The primary's other doors: `MINSHENG_MIGRATION_DATABASE_URL` (default `DATABASE_URL`), and a streaming replica
/// for lagging reads, `DATABASE_READ_URL` with `MINSHENG_READ_MAX_LAG_SECONDS` (default 10).
pub(super) fn databases(
    get: &impl Fn(&str) -> Option<String>,
    database_url: &str,
) -> Result<(SecretString, Option<super::ReadReplica>), ConfigError> {
    let migration = get("MINSHENG_MIGRATION_DATABASE_URL").unwrap_or_else(|| database_url.to_owned());
    postgres_url("MINSHENG_MIGRATION_DATABASE_URL", &migration)?;
    let max_lag = ranged(
        "MINSHENG_READ_MAX_LAG_SECONDS",
        get("MINSHENG_READ_MAX_LAG_SECONDS"),
        10,
        1..=3600,
    )?;
    let read = match get("DATABASE_READ_URL") {
        None => None,
        Some(url) => {
            postgres_url("DATABASE_READ_URL", &url)?;
            Some(super::ReadReplica {
                url: SecretString::from(url),
                max_lag: Duration::from_secs(max_lag),
            })
        }
    };
    Ok((SecretString::from(migration), read))
}

/// Where the truth and the schedules are kept: PostgreSQL's and Redis's URLs, and the prefix of this service's keys.
pub(super) fn stores(get: &impl Fn(&str) -> Option<String>) -> Result<(String, String, String), ConfigError> {
    let database_url = get("DATABASE_URL").unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/minsheng".into());
    postgres_url("DATABASE_URL", &database_url)?;
    let redis_url = get("REDIS_URL").unwrap_or_else(|| "redis://127.0.0.1:6379/0".into());
    let schemes = [
        "redis://",
        "rediss://",
        "unix://",
        "redis+cluster://",
        "redis+sentinel://",
    ];
    if !schemes.iter().any(|s| redis_url.starts_with(s)) {
        return Err(err(
            "REDIS_URL",
            "must be a redis://, rediss://, unix://, redis+cluster:// or redis+sentinel:// URL",
        ));
    }
    let redis_prefix = get("MINSHENG_REDIS_PREFIX").unwrap_or_else(|| "minsheng:".into());
    // Braces would open a hash tag of their own and split keys a script touches together across cluster slots.
    if redis_prefix.chars().any(|c| c.is_whitespace() || c == '{' || c == '}') || redis_prefix.len() > 64 {
        return Err(err(
            "MINSHENG_REDIS_PREFIX",
            "must be at most 64 characters without spaces or braces",
        ));
    }
    Ok((database_url, redis_url, redis_prefix))
}

/// The access tokens' signing secret (the development one when unset) and how long access and refresh tokens live.
pub(super) struct Tokens {
    pub secret: String,
    pub secret_is_default: bool,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

/// The tokens' secret and lives.
pub(super) fn tokens(get: &impl Fn(&str) -> Option<String>) -> Result<Tokens, ConfigError> {
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
    Ok(Tokens {
        secret: jwt_secret,
        secret_is_default: jwt_secret_is_default,
        access_ttl: access_token_ttl,
        refresh_ttl: refresh_token_ttl,
    })
}

/// Where the web apps' builds are served from, and the map tiles the console shows.
pub(super) fn clients(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<(std::path::PathBuf, std::path::PathBuf, Option<MapTiles>), ConfigError> {
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
    Ok((console_dir, citizen_dir, map_tiles))
}

/// How the service listens and answers over HTTP.
pub(super) struct Serving {
    pub bind: SocketAddr,
    pub public_url: String,
    pub trust_forwarded_for: bool,
    pub body_limit: usize,
    pub http_workers: usize,
    pub log_format: LogFormat,
}

/// `MINSHENG_BIND`, `MINSHENG_PUBLIC_URL` (default: `http://` and the bound address), `MINSHENG_TRUST_FORWARDED_FOR`,
/// `MINSHENG_BODY_LIMIT`, `MINSHENG_HTTP_WORKERS` (default: the cores) and `MINSHENG_LOG_FORMAT`.
pub(super) fn serving(get: &impl Fn(&str) -> Option<String>) -> Result<Serving, ConfigError> {
    let bind = get("MINSHENG_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
    let bind: SocketAddr = bind
        .parse()
        .map_err(|_| err("MINSHENG_BIND", "must be an address and port, such as 127.0.0.1:8080"))?;
    let trust_forwarded_for = flag(get, "MINSHENG_TRUST_FORWARDED_FOR")?;
    let public_url = get("MINSHENG_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        return Err(err("MINSHENG_PUBLIC_URL", "must start with http:// or https://"));
    }
    let public_url = public_url.trim_end_matches('/').to_owned();
    let body_limit = parse_number("MINSHENG_BODY_LIMIT", get("MINSHENG_BODY_LIMIT"), 64 * 1024)?;
    if !(1024..=64 * 1024 * 1024).contains(&body_limit) {
        return Err(err("MINSHENG_BODY_LIMIT", "must be between 1024 and 67108864 bytes"));
    }
    let log_format = match get("MINSHENG_LOG_FORMAT").as_deref() {
        None | Some("json") => LogFormat::Json,
        Some("pretty") => LogFormat::Pretty,
        Some(_) => return Err(err("MINSHENG_LOG_FORMAT", "must be json or pretty")),
    };
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let http_workers = parse_number("MINSHENG_HTTP_WORKERS", get("MINSHENG_HTTP_WORKERS"), cores as u64)?;
    if !(1..=256).contains(&http_workers) {
        return Err(err("MINSHENG_HTTP_WORKERS", "must be between 1 and 256"));
    }
    Ok(Serving {
        bind,
        public_url,
        trust_forwarded_for,
        body_limit: usize::try_from(body_limit).unwrap_or(64 * 1024),
        http_workers: usize::try_from(http_workers).unwrap_or(cores),
        log_format,
    })
}

/// Where photos are kept: `MINSHENG_STORAGE`, a local folder (default `.data/photos`), or `s3://bucket/prefix` with
/// `MINSHENG_S3_ENDPOINT`, `MINSHENG_S3_REGION`, `MINSHENG_S3_ACCESS_KEY_ID`, `MINSHENG_S3_SECRET_ACCESS_KEY`,
/// `MINSHENG_S3_PATH_STYLE` and `MINSHENG_S3_PRESIGN_SECONDS`.
pub(super) fn storage(get: &impl Fn(&str) -> Option<String>) -> Result<Storage, ConfigError> {
    match get("MINSHENG_STORAGE") {
        None => Ok(Storage::Local(PathBuf::from(".data/photos"))),
        Some(s) => match s.strip_prefix("s3://") {
            Some(location) => s3(location, get).map(Storage::S3),
            None => Ok(Storage::Local(PathBuf::from(s.strip_prefix("file://").unwrap_or(&s)))),
        },
    }
}

fn s3(location: &str, get: &impl Fn(&str) -> Option<String>) -> Result<super::S3, ConfigError> {
    let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
    // S3's bucket naming rules, which every compatible store keeps: 3–63 lower-case letters, digits, dots, hyphens.
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !bucket_ok {
        return Err(err(
            "MINSHENG_STORAGE",
            "must be s3://bucket/prefix, the bucket 3–63 lower-case letters, digits, dots and hyphens",
        ));
    }
    let prefix = prefix.trim_matches('/');
    if prefix.split('/').any(|p| p == "..") {
        return Err(err("MINSHENG_STORAGE", "the prefix must not climb with .."));
    }
    let endpoint = match get("MINSHENG_S3_ENDPOINT") {
        None => None,
        Some(e) => {
            let parsed = url::Url::parse(&e).map_err(|_| err("MINSHENG_S3_ENDPOINT", "must be a URL"))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                return Err(err("MINSHENG_S3_ENDPOINT", "must be an http:// or https:// URL"));
            }
            Some(e)
        }
    };
    let need = |variable: &'static str| {
        get(variable)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| err(variable, "is needed with an s3:// MINSHENG_STORAGE"))
    };
    let path_style = flag(get, "MINSHENG_S3_PATH_STYLE")?;
    // A presigned link is for the reader to follow at once: at most an hour (S3's own limit is a week).
    let presign = match get("MINSHENG_S3_PRESIGN_SECONDS") {
        None => None,
        Some(v) => Some(Duration::from_secs(ranged(
            "MINSHENG_S3_PRESIGN_SECONDS",
            Some(v),
            0,
            10..=3600,
        )?)),
    };
    Ok(super::S3 {
        bucket: bucket.to_owned(),
        prefix: prefix.to_owned(),
        endpoint,
        region: get("MINSHENG_S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
        access_key_id: need("MINSHENG_S3_ACCESS_KEY_ID")?,
        secret_access_key: SecretString::from(need("MINSHENG_S3_SECRET_ACCESS_KEY")?),
        path_style,
        presign,
    })
}
