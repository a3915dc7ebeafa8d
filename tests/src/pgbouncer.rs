//! PgBouncer of the test's own in transaction mode, in front of a PostgreSQL the test names: what a province puts
//! between many service instances and the primary. Debian 12's pgbouncer (1.18) keeps no prepared statements in
//! transaction mode, which the service's client uses for every query; scripts/test builds 1.24 from Debian 13's own
//! source package into `.data/tools/pgbouncer` (`MINSHENG_PGBOUNCER` names another binary).

use crate::servers::{free_port, is_root, wait_for_port};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use uuid::Uuid;

pub struct PrivatePgBouncer {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl PrivatePgBouncer {
    /// Pools at most `server_connections` connections to `upstream_port` per database, for any number of clients,
    /// handing a server connection out per transaction and keeping clients' prepared statements across them.
    ///
    /// # Panics
    /// When the binary is missing or does not start.
    #[must_use]
    pub fn start(upstream_port: u16, server_connections: u32) -> Self {
        let program = std::env::var("MINSHENG_PGBOUNCER")
            .unwrap_or_else(|_| format!("{}/../.data/tools/pgbouncer/bin/pgbouncer", env!("CARGO_MANIFEST_DIR")));
        let dir = std::env::temp_dir().join(format!("minsheng-pgbouncer-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let port = free_port();
        std::fs::write(dir.join("users.txt"), "\"postgres\" \"\"\n").expect("the users file");
        std::fs::write(
            dir.join("pgbouncer.ini"),
            format!(
                "[databases]\n* = host=127.0.0.1 port={upstream_port}\n\n[pgbouncer]\n\
                 listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
                 auth_type = trust\nauth_file = {users}\n\
                 pool_mode = transaction\ndefault_pool_size = {server_connections}\nmax_client_conn = 500\n\
                 max_prepared_statements = 500\n\
                 ignore_startup_parameters = extra_float_digits,options\n",
                users = dir.join("users.txt").display()
            ),
        )
        .expect("the configuration");
        // PgBouncer will not run as root; it drops to the postgres user, who must read its files.
        let mut cmd = Command::new(&program);
        if is_root() {
            let _ = Command::new("chown").args(["-R", "postgres"]).arg(&dir).status();
            cmd.args(["-u", "postgres"]);
        }
        let child = cmd
            .arg(dir.join("pgbouncer.ini"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} runs ({e}); scripts/test builds it"));
        wait_for_port(port, "the private pgbouncer");
        Self { child, port, dir }
    }

    /// `postgres://…/{database}` through the pooler.
    #[must_use]
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for PrivatePgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
