//! A Redis Cluster of the test's own: three masters, each with a replica, on free loopback ports (Debian's
//! redis-server in cluster mode, joined by `redis-cli --cluster create`), so a test can kill the master that holds a
//! key and watch its replica take over. Removed with its folder when the value is dropped.

use crate::servers::{free_port, wait_for_port};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use uuid::Uuid;

struct Node {
    port: u16,
    child: Option<Child>,
}

pub struct PrivateRedisCluster {
    nodes: Vec<Node>,
    dir: PathBuf,
}

/// How long a node may be silent before the others call it failed and promote its replica.
const NODE_TIMEOUT_MS: u32 = 1000;

impl PrivateRedisCluster {
    /// Starts six nodes and joins them: three masters with a replica each.
    ///
    /// # Panics
    /// When redis-server or redis-cli is missing, or the cluster does not come up within a minute.
    #[must_use]
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("minsheng-cluster-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a cluster folder");
        let mut cluster = Self {
            nodes: (0..6)
                .map(|_| Node {
                    port: free_port(),
                    child: None,
                })
                .collect(),
            dir,
        };
        for i in 0..cluster.nodes.len() {
            cluster.start_node(i);
        }
        let mut create = Command::new("redis-cli");
        create.arg("--cluster").arg("create");
        for n in &cluster.nodes {
            create.arg(format!("127.0.0.1:{}", n.port));
        }
        let out = create
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .output()
            .expect("redis-cli is installed (scripts/test installs it)");
        assert!(
            out.status.success(),
            "the cluster forms: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        cluster.wait_until_whole();
        cluster
    }

    fn start_node(&mut self, i: usize) {
        let port = self.nodes[i].port;
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--cluster-enabled", "yes"])
            .args(["--cluster-config-file", &format!("nodes-{port}.conf")])
            .args(["--cluster-node-timeout", &NODE_TIMEOUT_MS.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            // Replicas copy their master at once rather than after the default five seconds' wait for company.
            .args(["--repl-diskless-sync-delay", "0"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed (scripts/test installs it)");
        self.nodes[i].child = Some(child);
        wait_for_port(port, "a cluster node");
    }

    /// `redis+cluster://` naming every master, as a deployment would name its seed nodes.
    #[must_use]
    pub fn url(&self) -> String {
        let hosts: Vec<String> = self.nodes.iter().map(|n| format!("127.0.0.1:{}", n.port)).collect();
        format!("redis+cluster://{}", hosts.join(","))
    }

    fn cli(&self, port: u16, args: &[&str]) -> Option<String> {
        let out = Command::new("redis-cli")
            .args(["-p", &port.to_string()])
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn live_port(&self) -> u16 {
        self.nodes
            .iter()
            .find(|n| n.child.is_some())
            .map(|n| n.port)
            .expect("a live node")
    }

    /// The port of the master that serves `key`'s slot now, as a live node sees it.
    #[must_use]
    pub fn master_of(&self, key: &str) -> Option<u16> {
        let port = self.live_port();
        let slot: u16 = self.cli(port, &["cluster", "keyslot", key])?.trim().parse().ok()?;
        let nodes = self.cli(port, &["cluster", "nodes"])?;
        nodes.lines().find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let flags = fields.get(2)?;
            if !flags.contains("master") || flags.contains("fail") {
                return None;
            }
            let serves = fields.iter().skip(8).any(|range| {
                let (a, b) = range.split_once('-').unwrap_or((range, range));
                matches!((a.parse::<u16>(), b.parse::<u16>()), (Ok(a), Ok(b)) if (a..=b).contains(&slot))
            });
            let address = fields.get(1)?.split('@').next()?;
            serves.then(|| address.rsplit(':').next()?.parse().ok()).flatten()
        })
    }

    /// Kills the node on `port` (as a machine dies: no goodbye).
    pub fn kill(&mut self, port: u16) {
        if let Some(node) = self.nodes.iter_mut().find(|n| n.port == port) {
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }

    /// Starts the node on `port` again; it rejoins from its cluster file (empty: nothing is kept on disk).
    pub fn restart(&mut self, port: u16) {
        if let Some(i) = self.nodes.iter().position(|n| n.port == port && n.child.is_none()) {
            self.start_node(i);
        }
    }

    /// Waits until every slot is served, the live nodes agree the cluster is whole, and every replica holds a copy
    /// of its master (a replica that never had one will not take over).
    ///
    /// # Panics
    /// When that takes more than a minute.
    pub fn wait_until_whole(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            let whole = self
                .nodes
                .iter()
                .filter(|n| n.child.is_some())
                .all(|n| {
                    self.cli(n.port, &["cluster", "info"]).is_some_and(|i| i.contains("cluster_state:ok"))
                        && self.cli(n.port, &["info", "replication"]).is_some_and(|i| {
                            i.contains("role:master") || i.contains("master_link_status:up")
                        })
                });
            if whole {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the cluster did not become whole within a minute");
    }
}

impl Drop for PrivateRedisCluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
