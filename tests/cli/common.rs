//! A throwaway data directory and a way to run `doorstep` against it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

pub const PASSPHRASE: &str = "lantern orchard 42";

/// The shared evaluation corpus: `DOORSTEP_SHARED`, or `../shared` beside the repository.
pub fn eval_notes() -> PathBuf {
    let shared = std::env::var_os("DOORSTEP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("eval/notes.jsonl")
}

pub struct Store {
    pub home: tempfile::TempDir,
}

impl Store {
    /// An empty directory, no store yet.
    pub fn empty() -> Self {
        Self { home: tempfile::tempdir().unwrap() }
    }

    /// A fresh store.
    pub fn new() -> Self {
        let store = Self::empty();
        store.cmd().args(["init", "--practitioner", "Sam Okafor"]).assert().success();
        store
    }

    pub fn dir(&self) -> PathBuf {
        self.home.path().join("data")
    }

    pub fn db(&self) -> PathBuf {
        self.dir().join("doorstep.db")
    }

    /// `doorstep` with this store and the right passphrase, and nothing from the caller's
    /// environment that could change its behaviour.
    pub fn cmd(&self) -> Command {
        self.cmd_with(PASSPHRASE)
    }

    pub fn cmd_with(&self, passphrase: &str) -> Command {
        let mut cmd = Command::cargo_bin("doorstep").unwrap();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("DOORSTEP_DATA_DIR", self.dir())
            .env("DOORSTEP_PASSPHRASE", passphrase);
        cmd
    }

    /// Runs `doorstep --json ARGS`, expecting success, and parses what it printed.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        self.json_with(PASSPHRASE, args)
    }

    /// [`Store::json`] with another passphrase.
    pub fn json_with(&self, passphrase: &str, args: &[&str]) -> serde_json::Value {
        let out = self.cmd_with(passphrase).arg("--json").args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    pub fn note_count(&self) -> u64 {
        self.json(&["status"])["notes"].as_u64().unwrap()
    }

    /// Every file under the data directory with its bytes.
    pub fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut pending = vec![self.dir()];
        while let Some(dir) = pending.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    out.push((path.clone(), fs::read(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Writes `lines` as a JSON Lines file in the store's home.
pub fn write_lines(store: &Store, name: &str, lines: &[String]) -> PathBuf {
    let path = store.home.path().join(name);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

pub fn note_line(id: &str, subject: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "subject": subject, "text": text, "date": "2026-01-02" })
        .to_string()
}

/// Starts `doorstep note import` in the background and returns once it has written at least
/// `wal_bytes` to the write-ahead log, so that killing it lands mid-import.
pub fn import_until_wal_grows(
    store: &Store,
    file: &Path,
    batch_size: u64,
    wal_bytes: u64,
) -> Child {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("doorstep"))
        .env("DOORSTEP_DATA_DIR", store.dir())
        .env("DOORSTEP_PASSPHRASE", PASSPHRASE)
        .args(["note", "import", "--batch-size", &batch_size.to_string()])
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let wal = store.dir().join("doorstep.db-wal");
    let deadline = Instant::now() + Duration::from_secs(120);
    while fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) < wal_bytes {
        assert!(child.try_wait().unwrap().is_none(), "the import finished before it was killed");
        assert!(Instant::now() < deadline, "the import never started writing");
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}
