//! The harness for black-box tests: the real service on a free port, a fresh PostgreSQL database per test
//! (cloned from a migrated template, so tests run in parallel), and a Redis key prefix of its own.
//! Nothing is mocked; everything a test makes it removes again, and it touches nothing it did not make.

use anyhow::Context;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use minsheng_api::startup::{self, Application};
use minsheng_api::state::AppState;
use reqwest::{Method, Response};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Once;
use uuid::Uuid;

pub mod browser;
pub mod pgbouncer;
pub mod redis_ha;
pub mod servers;
pub mod sms;
pub mod stand_in;
pub mod wechat;

pub use minsheng_api::seed::DEMO_PASSWORD;

/// The server tests use for PostgreSQL: `TEST_DATABASE_URL`, else `DATABASE_URL`, else the local default.
/// Only its host, port and credentials matter; each test gets a database of its own.
#[must_use]
pub fn postgres_server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The same server, another database: `scheme://authority/{name}?query`.
#[must_use]
pub fn database_url(name: &str) -> String {
    let base = postgres_server_url();
    let (base, query) = base
        .split_once('?')
        .map_or((base.as_str(), String::new()), |(b, q)| (b, format!("?{q}")));
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let authority = rest.split_once('/').map_or(rest, |(a, _)| a);
    format!("{scheme}://{authority}/{name}{query}")
}

#[must_use]
pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL")
        .or_else(|_| std::env::var("REDIS_URL"))
        .unwrap_or_else(|_| "redis://127.0.0.1:6379/0".to_owned())
}

/// A fresh database cloned from the migrated template. Dropped (with its connections) when the value is.
pub struct TestDatabase {
    pub name: String,
}

impl TestDatabase {
    /// # Panics
    /// When PostgreSQL cannot be reached: the tests need it.
    pub async fn create() -> Self {
        let template = template().await.expect("the template database can be prepared");
        let name = format!("minsheng_test_{}", Uuid::new_v4().simple());
        admin_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
            .expect("the test database can be created");
        Self { name }
    }

    /// An empty database with no tables, for testing migrations themselves.
    ///
    /// # Panics
    /// When PostgreSQL cannot be reached.
    pub async fn create_empty() -> Self {
        let name = format!("minsheng_test_{}", Uuid::new_v4().simple());
        admin_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("the test database can be created");
        Self { name }
    }

    #[must_use]
    pub fn url(&self) -> String {
        database_url(&self.name)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop runs inside the test's runtime; the clean-up gets a thread and a runtime of its own.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|rt| rt.block_on(admin_execute(&sql)))
        })
        .join();
    }
}

async fn admin_execute(sql: &str) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(&postgres_server_url())
        .await
        .context("connecting to PostgreSQL")?;
    diesel::sql_query(sql)
        .execute(&mut conn)
        .await
        .with_context(|| sql.to_owned())?;
    Ok(())
}

/// The migrated template, named after a hash of the migrations so that changing them makes a new one, and after the
/// newest migration this binary carries: a binary built before a new migration's files were all written (which
/// embeds fewer migrations than the folder hashes) names its template apart, so it never leaves a half-migrated
/// template under the name a complete build uses.
/// Built once per machine under an advisory lock, so parallel test processes wait instead of colliding.
async fn template() -> anyhow::Result<String> {
    let name = format!("minsheng_tpl_{}_{}", migrations_hash()?, newest_embedded_migration());
    let mut conn = AsyncPgConnection::establish(&postgres_server_url())
        .await
        .context("connecting to PostgreSQL")?;
    diesel::sql_query("SELECT pg_advisory_lock(7262)")
        .execute(&mut conn)
        .await?;
    let result = async {
        let exists = diesel::sql_query(format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"))
            .execute(&mut conn)
            .await?
            == 1;
        if !exists {
            let building = format!("{name}_building");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                .execute(&mut conn)
                .await?;
            diesel::sql_query(format!("CREATE DATABASE {building}"))
                .execute(&mut conn)
                .await?;
            infra::db::migrate::run(&secrecy::SecretString::from(database_url(&building))).await?;
            diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                .execute(&mut conn)
                .await?;
        }
        anyhow::Ok(())
    }
    .await;
    diesel::sql_query("SELECT pg_advisory_unlock(7262)")
        .execute(&mut conn)
        .await?;
    result.map(|()| name)
}

/// The version of the newest migration compiled into this binary.
fn newest_embedded_migration() -> String {
    use diesel::migration::MigrationSource;
    MigrationSource::<diesel::pg::Pg>::migrations(&infra::db::migrate::MIGRATIONS)
        .ok()
        .and_then(|all| all.iter().map(|m| m.name().version().to_string()).max())
        .unwrap_or_default()
}

fn migrations_hash() -> anyhow::Result<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../infra/migrations");
    let mut files = Vec::new();
    collect(&dir, &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for f in files {
        hasher.update(f.strip_prefix(&dir).unwrap_or(&f).to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&f)?);
    }
    Ok(infra::encoding::hex(&hasher.finalize()[..6]))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The running service and what it was given.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub redis_prefix: String,
    pub db: Option<TestDatabase>,
    /// The configuration it was started with, so a second instance can share its database and Redis prefix.
    pub env: HashMap<String, String>,
    handle: actix_web::dev::ServerHandle,
}

impl TestApp {
    /// The service on a fresh database and Redis prefix.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// The service with configuration changed by `tweak` (the environment it would read, as a map).
    ///
    /// # Panics
    /// When the service cannot start.
    pub async fn spawn_with(tweak: impl FnOnce(&mut HashMap<String, String>)) -> Self {
        let db = TestDatabase::create().await;
        let redis_prefix = format!("minsheng-test:{}:", Uuid::new_v4().simple());
        let mut env: HashMap<String, String> = [
            ("DATABASE_URL", db.url()),
            ("REDIS_URL", redis_url()),
            ("MINSHENG_REDIS_PREFIX", redis_prefix.clone()),
            ("MINSHENG_BIND", "127.0.0.1:0".to_owned()),
            (
                "MINSHENG_JWT_SECRET",
                format!("test-secret-{}", Uuid::new_v4().simple()),
            ),
            ("MINSHENG_DATABASE_POOL_SIZE", "4".to_owned()),
            ("MINSHENG_HTTP_WORKERS", "1".to_owned()),
            // Tests write fast from one account; the limit has a test of its own.
            ("MINSHENG_WRITES_PER_MINUTE", "1000000".to_owned()),
            (
                "MINSHENG_STORAGE",
                std::env::temp_dir()
                    .join(format!("minsheng-photos-{}", Uuid::new_v4().simple()))
                    .to_string_lossy()
                    .into_owned(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        tweak(&mut env);
        Self::start(
            env,
            Some(db),
            redis_prefix,
            infra::clock::Clock::manual(chrono::Utc::now()),
        )
    }

    /// The service pointed at a fake WeChat, with `tweak` applied after.
    pub async fn spawn_with_wechat(
        fake: &wechat::FakeWeChat,
        tweak: impl FnOnce(&mut HashMap<String, String>),
    ) -> Self {
        let settings = fake.env();
        Self::spawn_with(|env| {
            env.extend(settings);
            tweak(env);
        })
        .await
    }

    /// A second instance of the same deployment: same database, same Redis prefix, another port.
    #[must_use]
    pub fn another_instance(&self) -> Self {
        Self::start(
            self.env.clone(),
            None,
            self.redis_prefix.clone(),
            self.state.clock.clone(),
        )
    }

    /// Every instance runs on a manual clock (shared by its other instances) that tests move with
    /// `app.state.clock.advance(…)`: deadlines are tested without waiting for them.
    fn start(
        env: HashMap<String, String>,
        db: Option<TestDatabase>,
        redis_prefix: String,
        clock: infra::clock::Clock,
    ) -> Self {
        let config = infra::config::Config::from_lookup(|k| env.get(k).cloned()).expect("test configuration is valid");
        let state = startup::state_with_clock(config, clock).expect("state builds");
        let app = Application::build(state.clone()).expect("the service binds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client builds");
        Self {
            address,
            client,
            state,
            redis_prefix,
            db,
            env,
            handle,
        }
    }

    #[must_use]
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The service's `/metrics` text (open to callers on the same host when no metrics token is set).
    ///
    /// # Panics
    /// When the service does not answer.
    pub async fn metrics(&self) -> String {
        self.client
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("answers")
            .text()
            .await
            .expect("text")
    }

    /// Sends a request, with a bearer token and a JSON body when given.
    ///
    /// # Panics
    /// When the service does not answer at all.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.expect("the service answers")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> Response {
        self.call(Method::PATCH, path, Some(token), Some(body)).await
    }

    /// The JSON `path` answers anyone, without signing in (the spec, public pages).
    ///
    /// # Panics
    /// When it does not answer 200 with JSON.
    pub async fn public_json(&self, path: &str) -> Value {
        let res = self.client.get(self.url(path)).send().await.expect("answers");
        ok_json(res, path).await
    }

    /// GETs a JSON document that must answer 200.
    ///
    /// # Panics
    /// On any other status or a body that is not JSON.
    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        ok_json(self.get(path, token).await, path).await
    }

    /// PATCHes and reads the JSON answer, which must be 200.
    ///
    /// # Panics
    /// On any other status or a body that is not JSON.
    pub async fn patch_json(&self, path: &str, token: &str, body: &Value) -> Value {
        ok_json(self.patch(path, token, body).await, path).await
    }

    /// Signs in with phone and password and returns the access token.
    ///
    /// # Panics
    /// When sign-in fails.
    pub async fn sign_in(&self, phone: &str, password: &str) -> String {
        let body = self.sign_in_tokens(phone, password).await;
        body["access_token"].as_str().expect("an access token").to_owned()
    }

    /// Signs in with phone and password and returns the whole token response.
    ///
    /// # Panics
    /// When sign-in fails.
    pub async fn sign_in_tokens(&self, phone: &str, password: &str) -> Value {
        self.anonymous_post_json("/api/v1/auth/password", &json!({"phone": phone, "password": password}))
            .await
    }

    /// Signs in the WeChat user `who` as a citizen through `fake` and returns the whole token response.
    ///
    /// # Panics
    /// When sign-in fails.
    pub async fn wechat_sign_in(&self, fake: &wechat::FakeWeChat, who: &str) -> Value {
        self.anonymous_post_json("/api/v1/auth/wechat", &json!({"code": fake.login_code(who)}))
            .await
    }

    /// Signs in the WeChat user `who` through the QR code carrying `scene` (as the mini-program does when a code
    /// opens it) and returns the access token.
    ///
    /// # Panics
    /// When sign-in fails.
    pub async fn wechat_sign_in_at(&self, fake: &wechat::FakeWeChat, who: &str, scene: &str) -> String {
        self.anonymous_post_json(
            "/api/v1/auth/wechat",
            &json!({"code": fake.login_code(who), "scene": scene}),
        )
        .await["access_token"]
            .as_str()
            .expect("an access token")
            .to_owned()
    }

    /// POSTs without a token; the answer must be 200 JSON.
    ///
    /// # Panics
    /// On any other status.
    pub async fn anonymous_post_json(&self, path: &str, body: &Value) -> Value {
        ok_json(self.call(Method::POST, path, None, Some(body)).await, path).await
    }

    /// Creates an admin the way `minsheng create-admin` does and signs in.
    pub async fn admin_token(&self) -> String {
        let phone = "13800000000";
        minsheng_api::app::accounts::create_admin(&self.state.db, phone, "测试管理员", "admin-pass-2026".to_owned())
            .await
            .expect("admin is created");
        self.sign_in(phone, "admin-pass-2026").await
    }

    /// Loads the demo county.
    ///
    /// # Panics
    /// When seeding fails.
    pub async fn seed_demo(&self) -> minsheng_api::seed::SeedReport {
        minsheng_api::seed::seed_demo(&self.state.db)
            .await
            .expect("the demo seeds")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the future only waits for completion, which a test need not do.
        drop(self.handle.stop(false));
        let (url, pattern) = (redis_url(), format!("{}*", self.redis_prefix));
        let _ = std::thread::spawn(move || delete_keys(&url, &pattern)).join();
        // The database goes last, after the server has been told to stop using it.
        self.db.take();
    }
}

/// Deletes this test's Redis keys and no others.
impl TestApp {
    /// Deletes every Redis key of this deployment, as a Redis restart without persistence (or FLUSHALL) would; the
    /// shared test server keeps other tests' keys.
    pub fn forget_redis(&self) {
        let (url, pattern) = (redis_url(), format!("{}*", self.redis_prefix));
        std::thread::spawn(move || delete_keys(&url, &pattern))
            .join()
            .expect("the thread ends")
            .expect("keys deleted");
    }
}

/// Deletes the keys under `pattern` (`prefix*`), and those whose hash tag begins with the prefix (`{prefix…}:…`).
fn delete_keys(url: &str, pattern: &str) -> redis::RedisResult<()> {
    let mut conn = redis::Client::open(url)?.get_connection()?;
    for pattern in [pattern.to_owned(), format!("{{{pattern}")] {
        let keys: Vec<String> = redis::cmd("KEYS").arg(pattern).query(&mut conn)?;
        if !keys.is_empty() {
            redis::cmd("DEL").arg(keys).query::<()>(&mut conn)?;
        }
    }
    Ok(())
}

async fn ok_json(res: Response, path: &str) -> Value {
    let status = res.status();
    let body = res.text().await.expect("a body");
    assert_eq!(status, 200, "{path} answered {status}: {body}");
    serde_json::from_str(&body).expect("the body is JSON")
}

/// Reads a response that must be a problem document with this status and code; returns it for further checks.
///
/// # Panics
/// When the response is anything else.
pub async fn assert_problem(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status(), status, "status for {code}");
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content type was {content_type}"
    );
    let body: Value = res.json().await.expect("a problem document is JSON");
    assert_eq!(body["code"], code, "problem: {body}");
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("urn:minsheng:problem:{code}"));
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "problem: {body}"
    );
    body
}

/// The `minsheng` binary, built on first use (a no-op when it is up to date).
///
/// # Panics
/// When it cannot be built.
#[must_use]
pub fn minsheng_bin() -> PathBuf {
    static BUILD: Once = Once::new();
    built(&BUILD, "minsheng-api", "minsheng")
}

/// The `minsheng-demo` tool (the demo county at work), built on first use.
///
/// # Panics
/// When it cannot be built.
#[must_use]
pub fn demo_bin() -> PathBuf {
    static BUILD: Once = Once::new();
    built(&BUILD, "minsheng-demo", "minsheng-demo")
}

/// Binary `bin` of `package`, built once per test process in the tests' own profile.
fn built(once: &Once, package: &str, bin: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/<test> → target/<profile>/<bin>
    let profile_dir = exe.parent().and_then(Path::parent).expect("target dir").to_path_buf();
    once.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "--quiet", "-p", package, "--bin", bin]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "building {bin} failed");
    });
    profile_dir.join(bin)
}

/// The `minsheng` binary serving on a free port of its own, with the environment of a test's service (its database
/// and Redis prefix) and `RUST_LOG` as given, its whole log kept: for tests that read what a running service logs.
pub struct Binary {
    /// `http://127.0.0.1:{port}`.
    pub base: String,
    child: std::process::Child,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Binary {
    /// Starts `minsheng serve --no-worker` and waits until `/healthz` answers.
    ///
    /// # Panics
    /// When it does not start within ten seconds.
    pub async fn serve(env: &HashMap<String, String>, rust_log: &str) -> Self {
        use std::io::Read;
        use std::process::{Command, Stdio};
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(minsheng_bin())
            .args(["serve", "--no-worker"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RUST_LOG", rust_log)
            .envs(env.iter())
            .env("MINSHENG_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("minsheng serves");
        // Read as it is written: at `trace` the log fills a pipe's buffer long before the requests are done.
        let drain = |mut from: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut out = Vec::new();
                let _ = from.read_to_end(&mut out);
                String::from_utf8_lossy(&out).into_owned()
            })
        };
        let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
        let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let mut up = false;
        for _ in 0..100 {
            if client.get(format!("{base}/healthz")).send().await.is_ok() {
                up = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(up, "the service started");
        Self {
            base,
            child,
            stdout,
            stderr,
        }
    }

    /// Stops it; answers everything it logged.
    ///
    /// # Panics
    /// When its output cannot be read.
    #[must_use]
    pub fn stop(mut self) -> String {
        drop(self.child.kill());
        drop(self.child.wait());
        self.stdout.join().expect("stdout read") + &self.stderr.join().expect("stderr read")
    }
}
