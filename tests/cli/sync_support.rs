//! What the sync tests share: a real doorstep-server on loopback, either in this process (on a
//! thread and runtime of its own) or as a separate process that can be killed with SIGKILL and
//! restarted on the same database and port; a count of the envelopes a server's database holds;
//! and the account helpers (sync, notes, a second device).
//!
//! The separate process is this test binary run again with [`SERVE_ENV`] set, which turns
//! [`serve_when_asked`] into a server: the CLI tests get a real server process without building
//! another package's binary.

use std::future::pending;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use doorstep_server::{AppState, RateLimit, SqliteBackend, serve};
use serde_json::Value;
use tokio::sync::oneshot;

use crate::common::Store;

/// Set in a child process of this test binary: `ADDRESS DATABASE` to serve.
const SERVE_ENV: &str = "DOORSTEP_TEST_SERVE";

/// No test reaches it unless it means to.
const UNLIMITED: RateLimit = RateLimit { burst: 1e9, per_second: 1e9 };

/// A sync server on `127.0.0.1:0` with its database in a temporary folder, in this process.
pub struct Server {
    pub url: String,
    pub db: PathBuf,
    _dir: tempfile::TempDir,
    stop: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

impl Server {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("server.db");
        let (bound, address) = std::sync::mpsc::channel::<SocketAddr>();
        let (stop, stopped) = oneshot::channel::<()>();
        let path = db.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let backend = SqliteBackend::open(&path).unwrap();
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                bound.send(listener.local_addr().unwrap()).unwrap();
                let state = AppState::new(backend, RateLimit::default());
                serve(listener, state, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        let url = format!("http://{}", address.recv().unwrap());
        Self { url, db, _dir: dir, stop: Some((stop, thread)) }
    }

    pub fn address(&self) -> SocketAddr {
        self.url.trim_start_matches("http://").parse().unwrap()
    }

    /// Every byte of the server's database files (the database, its WAL and shared memory).
    pub fn database_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let path = PathBuf::from(format!("{}{suffix}", self.db.display()));
            if let Ok(data) = std::fs::read(&path) {
                bytes.extend(data);
            }
        }
        bytes
    }

    pub fn stop(&mut self) {
        if let Some((stop, thread)) = self.stop.take() {
            let _ = stop.send(());
            thread.join().unwrap();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A sync server in a process of its own, on a port kept across restarts (devices remember
/// their server's address), over a database in a temporary folder.
pub struct ServerProcess {
    pub url: String,
    pub db: PathBuf,
    address: SocketAddr,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("server.db");
        // A free port, given up for the child to bind.
        let address = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let mut server =
            Self { url: format!("http://{address}"), db, address, child: None, _dir: dir };
        server.restart();
        server
    }

    /// Starts the server again on the same port and database; returns once it answers.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is running");
        let child = Command::new(std::env::current_exe().unwrap())
            .args(["sync_support::serve_when_asked", "--exact", "--nocapture"])
            .env(SERVE_ENV, format!("{} {}", self.address, self.db.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        wait_until_healthy(self.address);
    }

    /// SIGKILL: no shutdown, no flushing, requests in flight cut.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `GET /health` until the server answers 200.
fn wait_until_healthy(address: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let healthy = TcpStream::connect(address).ok().and_then(|mut stream| {
            stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
            stream.write_all(b"GET /health HTTP/1.0\r\n\r\n").ok()?;
            let mut reply = String::new();
            stream.read_to_string(&mut reply).ok()?;
            reply.starts_with("HTTP/1.0 200").then_some(())
        });
        if healthy.is_some() {
            return;
        }
        assert!(Instant::now() < deadline, "the server at {address} never answered");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Not a test: in a child process started by [`ServerProcess`], the server; otherwise nothing.
#[test]
fn serve_when_asked() {
    let Some(spec) = std::env::var_os(SERVE_ENV) else { return };
    let spec = spec.into_string().unwrap();
    let (address, db) = spec.split_once(' ').unwrap();
    let address: SocketAddr = address.parse().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        let backend = SqliteBackend::open(Path::new(db)).unwrap();
        // The port may still be held for a moment by the process this one replaces.
        let deadline = Instant::now() + Duration::from_secs(20);
        let listener = loop {
            match tokio::net::TcpListener::bind(address).await {
                Ok(listener) => break listener,
                Err(e) if Instant::now() < deadline => {
                    eprintln!("binding {address}: {e}; trying again");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("cannot bind {address}: {e}"),
            }
        };
        serve(listener, AppState::new(backend, UNLIMITED), pending()).await.unwrap();
    });
}

/// How many envelopes a server's database holds, read beside the running server.
pub fn envelopes_on_server(db: &Path) -> u64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.query_row("SELECT count(*) FROM envelopes", [], |r| r.get(0)).unwrap()
}

/// Polls the server's database until it holds at least `at_least` envelopes.
pub fn wait_for_envelopes(db: &Path, at_least: u64, child: &mut Child) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if db.exists() {
            let held = envelopes_on_server(db);
            if held >= at_least {
                return held;
            }
        }
        assert!(child.try_wait().unwrap().is_none(), "the sync finished before it was killed");
        assert!(Instant::now() < deadline, "the server never held {at_least} envelopes");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// `doorstep --json sync ARGS`, expecting success.
pub fn sync(store: &Store, args: &[&str]) -> Value {
    let mut all = vec!["sync"];
    all.extend_from_slice(args);
    store.json(&all)
}

/// `doorstep sync ARGS` in the background, for killing.
pub fn spawn_sync(store: &Store, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("doorstep"))
        .env("DOORSTEP_DATA_DIR", store.dir())
        .env("DOORSTEP_PASSPHRASE", crate::common::PASSPHRASE)
        .env("HOME", store.home.path())
        .arg("sync")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Note id and text of every note, sorted by id.
pub fn notes(store: &Store) -> Vec<(String, String)> {
    notes_in(&store.json(&["export"]))
}

/// Note id and text of every note of an export, sorted by id.
pub fn notes_in(export: &Value) -> Vec<(String, String)> {
    let mut notes: Vec<(String, String)> = export["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap().to_owned(), n["text"].as_str().unwrap().to_owned()))
        .collect();
    notes.sort();
    notes
}

/// Every note present exactly once on each device, the same notes on all of them.
pub fn assert_same_notes_once(devices: &[&Store], expected: usize) {
    let first = notes(devices[0]);
    assert_eq!(first.len(), expected, "notes on the first device");
    let mut ids: Vec<&String> = first.iter().map(|(id, _)| id).collect();
    ids.dedup();
    assert_eq!(ids.len(), expected, "a note is there twice");
    for device in &devices[1..] {
        assert_eq!(notes(device), first, "the devices differ");
    }
}

/// A second device of the same account: the first device's key file, no store yet.
pub fn second_device(first: &Store) -> Store {
    let second = Store::empty();
    std::fs::create_dir_all(second.dir()).unwrap();
    let keys = Path::new("keys.json");
    std::fs::copy(first.dir().join(keys), second.dir().join(keys)).unwrap();
    second
}

/// A second device of `first`'s account, enrolled and synced once.
pub fn enrolled_device(first: &Store, name: &str) -> (Store, Value) {
    let enrolment = first.json(&["device", "enrol", "--name", name]);
    let second = second_device(first);
    let joined = sync(&second, &["--enrol", enrolment["code"].as_str().unwrap()]);
    (second, joined)
}

/// `count` notes about `subject` as JSON Lines, each with its own text, their external ids
/// starting with `batch`.
pub fn many_notes(store: &Store, batch: &str, subject: &str, count: usize) -> PathBuf {
    let lines: Vec<String> = (0..count)
        .map(|i| {
            crate::common::note_line(
                &format!("{batch}-{i}"),
                subject,
                &format!("Visit {i}: talked about the garden, the bus and the pension letter."),
            )
        })
        .collect();
    crate::common::write_lines(store, &format!("{batch}.jsonl"), &lines)
}

/// Polls until the file at `path` is at least `bytes` long (a store's WAL, while a sync writes
/// it), checking that `child` is still at work.
pub fn wait_for_growth(path: &Path, bytes: u64, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) < bytes {
        assert!(child.try_wait().unwrap().is_none(), "the sync finished before it was killed");
        assert!(Instant::now() < deadline, "{} never grew to {bytes} bytes", path.display());
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Waits for a background `doorstep` to end; returns whether it succeeded, and its stderr.
pub fn finish(child: Child) -> (bool, String) {
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}
