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
        ("MINSHENG_STORAGE", "s3://No_Such_Bucket"),
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

#[test]
fn s3_storage_takes_its_bucket_prefix_and_addressing_from_the_environment() {
    let keys = [
        ("MINSHENG_S3_ACCESS_KEY_ID", "AKID"),
        ("MINSHENG_S3_SECRET_ACCESS_KEY", "secret"),
    ];
    let with = |extra: &[(&str, &str)]| {
        let mut vars: Vec<(&str, &str)> = keys.to_vec();
        vars.extend_from_slice(extra);
        config(&vars)
    };
    let c = with(&[
        ("MINSHENG_STORAGE", "s3://county-photos/yuyao/2026/"),
        ("MINSHENG_S3_ENDPOINT", "https://oss-cn-hangzhou.aliyuncs.com"),
        ("MINSHENG_S3_REGION", "oss-cn-hangzhou"),
    ])
    .expect("valid");
    let Storage::S3(s3) = c.storage else {
        panic!("an S3 store")
    };
    assert_eq!(
        (s3.bucket.as_str(), s3.prefix.as_str()),
        ("county-photos", "yuyao/2026")
    );
    // Virtual-hosted by default (AWS, OSS, COS, OBS): the bucket is the endpoint's first label.
    assert_eq!(
        s3.endpoint_url().as_deref(),
        Some("https://county-photos.oss-cn-hangzhou.aliyuncs.com")
    );
    assert_eq!(s3.presign, None);
    let c = with(&[
        ("MINSHENG_STORAGE", "s3://photos"),
        ("MINSHENG_S3_ENDPOINT", "http://10.1.2.3:9000/"),
        ("MINSHENG_S3_PATH_STYLE", "true"),
        ("MINSHENG_S3_PRESIGN_SECONDS", "300"),
    ])
    .expect("valid");
    let Storage::S3(s3) = c.storage else {
        panic!("an S3 store")
    };
    assert_eq!(s3.endpoint_url().as_deref(), Some("http://10.1.2.3:9000"));
    assert_eq!(s3.prefix, "");
    assert_eq!(s3.presign, Some(Duration::from_secs(300)));

    for (vars, variable) in [
        (vec![("MINSHENG_STORAGE", "s3://ab")], "MINSHENG_STORAGE"),
        (vec![("MINSHENG_STORAGE", "s3://Photos")], "MINSHENG_STORAGE"),
        (vec![("MINSHENG_STORAGE", "s3://photos/../x")], "MINSHENG_STORAGE"),
        (
            vec![("MINSHENG_STORAGE", "s3://photos"), ("MINSHENG_S3_ENDPOINT", "ftp://x")],
            "MINSHENG_S3_ENDPOINT",
        ),
        (
            vec![("MINSHENG_STORAGE", "s3://photos"), ("MINSHENG_S3_PATH_STYLE", "yes")],
            "MINSHENG_S3_PATH_STYLE",
        ),
        (
            vec![
                ("MINSHENG_STORAGE", "s3://photos"),
                ("MINSHENG_S3_PRESIGN_SECONDS", "86400"),
            ],
            "MINSHENG_S3_PRESIGN_SECONDS",
        ),
    ] {
        assert_eq!(
            with(&vars).map(|_| ()).map_err(|e| e.variable),
            Err(variable),
            "{vars:?}"
        );
    }
    let missing = config(&[("MINSHENG_STORAGE", "s3://photos")])
        .map(|_| ())
        .map_err(|e| e.variable);
    assert_eq!(missing, Err("MINSHENG_S3_ACCESS_KEY_ID"));
}
