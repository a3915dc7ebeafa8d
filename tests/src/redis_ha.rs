//! Highly available Redis of the test's own, from Debian's redis-server on free loopback ports, removed with its
//! folder when the value is dropped: a Redis Cluster (three masters, each with a replica, joined by
//! `redis-cli --cluster create`), so a test can kill the master that holds a key and watch its replica take over; and
//! a master with a replica watched by a Sentinel, which a test can tell to fail over.

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
        let slot: u16 = cli(port, &["cluster", "keyslot", key])?.trim().parse().ok()?;
        let nodes = cli(port, &["cluster", "nodes"])?;
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
            let whole = self.nodes.iter().filter(|n| n.child.is_some()).all(|n| {
                cli(n.port, &["cluster", "info"]).is_some_and(|i| i.contains("cluster_state:ok"))
                    && cli(n.port, &["info", "replication"])
                        .is_some_and(|i| i.contains("role:master") || i.contains("master_link_status:up"))
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

/// A master and its replica, watched by one Sentinel (quorum 1) under the name `mymaster`.
pub struct PrivateRedisSentinel {
    servers: Vec<Node>,
    sentinel: Node,
    dir: PathBuf,
}

impl PrivateRedisSentinel {
    /// # Panics
    /// When the servers do not start, or the replica does not take its copy within a minute.
    #[must_use]
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("minsheng-sentinel-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let master = free_port();
        let replica = free_port();
        let spawn = |args: Vec<String>| {
            Command::new("redis-server")
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server is installed (scripts/test installs it)")
        };
        let server = |port: u16, replica_of: Option<u16>| {
            let mut args: Vec<String> = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
                .map(str::to_owned)
                .to_vec();
            args.extend(["--port".to_owned(), port.to_string()]);
            args.extend(["--repl-diskless-sync-delay".to_owned(), "0".to_owned()]);
            // A replica keeps the copy it receives on disk: in a folder of its own in this test's, not the working
            // directory (and not one the other server writes its copy to).
            let own = dir.join(port.to_string());
            let _ = std::fs::create_dir_all(&own);
            args.extend(["--dir".to_owned(), own.to_string_lossy().into_owned()]);
            if let Some(of) = replica_of {
                args.extend(["--replicaof".to_owned(), "127.0.0.1".to_owned(), of.to_string()]);
            }
            args
        };
        let servers = vec![
            Node {
                port: master,
                child: Some(spawn(server(master, None))),
            },
            Node {
                port: replica,
                child: Some(spawn(server(replica, Some(master)))),
            },
        ];
        for n in &servers {
            wait_for_port(n.port, "a watched redis-server");
        }
        let sentinel_port = free_port();
        let conf = dir.join("sentinel.conf");
        std::fs::write(
            &conf,
            format!(
                "port {sentinel_port}\nbind 127.0.0.1\ndir {}\n\
                 sentinel monitor mymaster 127.0.0.1 {master} 1\n\
                 sentinel down-after-milliseconds mymaster 1000\n\
                 sentinel failover-timeout mymaster 5000\n",
                dir.display()
            ),
        )
        .expect("the Sentinel's configuration");
        let sentinel = Node {
            port: sentinel_port,
            child: Some(spawn(vec![
                conf.to_string_lossy().into_owned(),
                "--sentinel".to_owned(),
            ])),
        };
        wait_for_port(sentinel_port, "the Sentinel");
        let watched = Self { servers, sentinel, dir };
        Self::wait_for_copy(replica);
        watched
    }

    fn wait_for_copy(replica: u16) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if cli(replica, &["info", "replication"]).is_some_and(|i| i.contains("master_link_status:up")) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the replica did not copy its master within a minute");
    }

    /// `redis+sentinel://` naming the Sentinel and the master's name.
    #[must_use]
    pub fn url(&self) -> String {
        format!("redis+sentinel://127.0.0.1:{}/mymaster", self.sentinel.port)
    }

    /// The master's port, as the Sentinel names it.
    #[must_use]
    pub fn master(&self) -> Option<u16> {
        let out = cli(self.sentinel.port, &["sentinel", "get-master-addr-by-name", "mymaster"])?;
        out.lines().nth(1)?.trim().parse().ok()
    }

    /// Has the Sentinel promote the replica, and waits until the new master takes writes and the old one has become
    /// its replica (writes to it are refused with READONLY).
    ///
    /// # Panics
    /// When the failover does not finish within a minute.
    pub fn fail_over(&self) {
        let old = self.master().expect("a master");
        let _ = cli(self.sentinel.port, &["sentinel", "failover", "mymaster"]);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Some(new) = self.master().filter(|m| *m != old) {
                let promoted = cli(new, &["info", "replication"]).is_some_and(|i| i.contains("role:master"));
                let demoted = cli(old, &["info", "replication"]).is_some_and(|i| i.contains("role:slave"));
                if promoted && demoted {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the Sentinel did not fail over within a minute");
    }
}

impl Drop for PrivateRedisSentinel {
    fn drop(&mut self) {
        for node in self.servers.iter_mut().chain(std::iter::once(&mut self.sentinel)) {
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn cli(port: u16, args: &[&str]) -> Option<String> {
    let out = Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
