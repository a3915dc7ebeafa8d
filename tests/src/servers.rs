//! PostgreSQL and Redis servers of a test's own, on free ports, so a test can stop and restart them without touching
//! the shared servers every other test uses. They are real servers from Debian's packages (scripts/test installs
//! them), started from the binaries, and removed with their data when the value is dropped.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use uuid::Uuid;

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

pub(crate) fn wait_for_port(port: u16, what: &str) {
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not start on port {port}");
}

/// A Redis server of this test's own.
pub struct PrivateRedis {
    child: Option<Child>,
    port: u16,
}

impl PrivateRedis {
    /// # Panics
    /// When redis-server is missing or does not start.
    #[must_use]
    pub fn start() -> Self {
        let mut redis = Self {
            child: None,
            port: free_port(),
        };
        redis.resume();
        redis
    }

    /// Starts the server again on the same port, empty (it keeps nothing on disk, like the production setting).
    ///
    /// # Panics
    /// When it does not start.
    pub fn resume(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed (scripts/test installs it)");
        self.child = Some(child);
        wait_for_port(self.port, "the private redis-server");
    }

    #[must_use]
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Kills the server: everything it held is gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A PostgreSQL cluster of this test's own, in a temporary folder, trust authentication, one database `minsheng`.
pub struct PrivatePostgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
}

impl PrivatePostgres {
    /// Initialises and starts a cluster.
    ///
    /// # Panics
    /// When PostgreSQL's server binaries are missing or the cluster does not start.
    #[must_use]
    pub fn start() -> Self {
        let bin = server_binaries().expect("PostgreSQL's server binaries are installed (scripts/test installs them)");
        let data = std::env::temp_dir().join(format!("minsheng-pg-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&data).expect("a data folder");
        let pg = Self {
            bin,
            data,
            port: free_port(),
        };
        // PostgreSQL refuses to run as root; the cluster then belongs to the postgres user.
        if is_root() {
            run(Command::new("chown").arg("postgres").arg(&pg.data));
        }
        run(pg.as_owner("initdb").arg("-D").arg(&pg.data).args([
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        ]));
        pg.pg_ctl_start();
        run(pg.as_owner("createdb").args([
            "-h",
            "127.0.0.1",
            "-p",
            &pg.port.to_string(),
            "-U",
            "postgres",
            "minsheng",
        ]));
        pg
    }

    fn as_owner(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if is_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path).current_dir("/");
            cmd
        } else {
            Command::new(path)
        }
    }

    fn pg_ctl_start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
            self.port,
            self.data.display()
        );
        run(self
            .as_owner("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(self.data.join("server.log"))
            .args(["-w", "-t", "60", "-o", &options, "start"]));
    }

    /// A streaming replica of this cluster: a base backup (`pg_basebackup -R`, which writes the standby's settings)
    /// started as a hot standby on a port of its own.
    ///
    /// # Panics
    /// When the backup or the standby fails.
    #[must_use]
    pub fn replica(&self) -> Self {
        let data = std::env::temp_dir().join(format!("minsheng-pg-{}", Uuid::new_v4().simple()));
        let replica = Self {
            bin: self.bin.clone(),
            data,
            port: free_port(),
        };
        run(replica.as_owner("pg_basebackup").arg("-D").arg(&replica.data).args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            "-R",
            "-X",
            "stream",
            // At once, not after a checkpoint spread over minutes.
            "--checkpoint=fast",
            "--no-sync",
        ]));
        replica.pg_ctl_start();
        replica
    }

    /// Runs one SQL statement with psql on this cluster's `minsheng` database; answers what it printed.
    ///
    /// # Panics
    /// When psql fails.
    #[must_use]
    pub fn psql(&self, sql: &str) -> String {
        let out = self
            .as_owner("psql")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres"])
            .args(["-XAtq", "-d", "minsheng", "-c", sql])
            .output()
            .expect("psql runs");
        assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Waits until this standby has replayed everything `primary` has written so far.
    ///
    /// # Panics
    /// When that takes more than thirty seconds.
    pub fn catch_up_with(&self, primary: &PrivatePostgres) {
        let target = primary.psql("SELECT pg_current_wal_lsn()");
        for _ in 0..300 {
            if self.psql(&format!("SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")) == "t" {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the replica did not reach {target} within thirty seconds");
    }

    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://…/minsheng` on this cluster.
    #[must_use]
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/minsheng", self.port)
    }

    /// Stops the server the hard way (`immediate`: backends are killed, as in a crash; what was committed is
    /// recovered from the write-ahead log on start) and starts it again after `down`.
    pub fn crash_and_restart(&self, down: Duration) {
        self.stop("immediate");
        std::thread::sleep(down);
        self.pg_ctl_start();
    }

    fn stop(&self, mode: &str) {
        let _ = self
            .as_owner("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", mode, "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.stop("immediate");
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

pub(crate) fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The newest installed PostgreSQL's `bin` folder.
fn server_binaries() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
    });
    found.pop()
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An S3-protocol server of this test's own: `s3s-fs` (crates.io; scripts/test installs it), which checks AWS
/// signatures (V4, headers and presigned queries) and keeps its objects as files under a temporary folder, with one
/// bucket made for the test.
pub struct PrivateS3 {
    child: Option<Child>,
    port: u16,
    root: PathBuf,
    pub bucket: String,
}

/// The credentials the private S3 server is started with.
pub const S3_ACCESS_KEY: &str = "minsheng-test-access";
pub const S3_SECRET_KEY: &str = "minsheng-test-secret-key-0123456789";

impl PrivateS3 {
    /// # Panics
    /// When s3s-fs is missing or does not start.
    #[must_use]
    pub fn start() -> Self {
        let root = std::env::temp_dir().join(format!("minsheng-s3-{}", Uuid::new_v4().simple()));
        let bucket = "minsheng-photos".to_owned();
        std::fs::create_dir_all(root.join(&bucket)).expect("the bucket's folder");
        let mut s3 = Self {
            child: None,
            port: free_port(),
            root,
            bucket,
        };
        s3.resume();
        s3
    }

    /// Starts the server (again) on the same port and folder: what it held is still there.
    ///
    /// # Panics
    /// When it does not start.
    pub fn resume(&mut self) {
        let program = std::env::var("MINSHENG_S3S_FS").unwrap_or_else(|_| {
            let home = std::env::var("CARGO_HOME")
                .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
            format!("{home}/bin/s3s-fs")
        });
        let child = Command::new(&program)
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--access-key", S3_ACCESS_KEY, "--secret-key", S3_SECRET_KEY])
            .arg(&self.root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} runs ({e}); scripts/test installs s3s-fs"));
        self.child = Some(child);
        wait_for_port(self.port, "the private s3s-fs");
    }

    /// Stops the server; its objects stay on disk for `resume`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The service's settings for keeping photos here, under `prefix`.
    #[must_use]
    pub fn env(&self, prefix: &str) -> Vec<(String, String)> {
        [
            ("MINSHENG_STORAGE", format!("s3://{}/{prefix}", self.bucket)),
            ("MINSHENG_S3_ENDPOINT", format!("http://127.0.0.1:{}", self.port)),
            ("MINSHENG_S3_REGION", "us-east-1".to_owned()),
            ("MINSHENG_S3_ACCESS_KEY_ID", S3_ACCESS_KEY.to_owned()),
            ("MINSHENG_S3_SECRET_ACCESS_KEY", S3_SECRET_KEY.to_owned()),
            ("MINSHENG_S3_PATH_STYLE", "true".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// The objects the server keeps under `prefix`, as keys relative to it, from its folder.
    #[must_use]
    pub fn objects(&self, prefix: &str) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, base, out);
                } else if let Ok(rel) = path.strip_prefix(base) {
                    out.push(rel.to_string_lossy().into_owned());
                }
            }
        }
        let base = self.root.join(&self.bucket).join(prefix);
        let mut out = Vec::new();
        walk(&base, &base, &mut out);
        out.sort();
        out
    }
}

impl Drop for PrivateS3 {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
