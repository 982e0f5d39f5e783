//! The organisation's recovery key: the key pair made by `doorstep org-key new`, a store made
//! recoverable at `init` (or at a later sync), and `doorstep recover` after a forgotten
//! passphrase bringing every record back; the wrong key, or a key file of the wrong kind,
//! refused clearly with nothing changed.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::{Store, note_line, write_lines};
use crate::sync_support::{Server, notes, notes_in, sync};

const NEW_PASSPHRASE: &str = "a fresh start after leave";

/// `doorstep org-key new` into `dir`: the private and the public file.
fn org_key_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let (private, public) = (dir.join(format!("{name}.key")), dir.join(format!("{name}.pub")));
    Store::empty()
        .cmd()
        .args(["org-key", "new", "--private"])
        .arg(&private)
        .arg("--public")
        .arg(&public)
        .assert()
        .success()
        .stdout(predicate::str::contains("OFFLINE"));
    (private, public)
}

/// `doorstep recover --org-key KEY`, the passphrase forgotten, a new one given.
fn recover(store: &Store, key: &Path) -> assert_cmd::assert::Assert {
    store
        .cmd()
        .env_remove("DOORSTEP_PASSPHRASE")
        .env("DOORSTEP_NEW_PASSPHRASE", NEW_PASSPHRASE)
        .args(["recover", "--org-key"])
        .arg(key)
        .assert()
}

fn store_with_recovery(public: &Path) -> Store {
    let store = Store::empty();
    store
        .cmd()
        .args(["init", "--practitioner", "Sam Okafor", "--recovery-key"])
        .arg(public)
        .assert()
        .success()
        .stdout(predicate::str::contains("recoverable with the organisation's key"));
    store
}

#[test]
fn a_forgotten_passphrase_is_recovered_with_the_organisation_key_and_every_record_is_back() {
    let org = tempfile::tempdir().unwrap();
    let (private, public) = org_key_pair(org.path(), "org");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the private key is readable by its owner only");
    }
    let store = store_with_recovery(&public);
    store.cmd().args(["person", "add", "Joan Platt"]).assert().success();
    let lines: Vec<String> = (0..25)
        .map(|i| note_line(&format!("n{i}"), "Joan Platt", &format!("Visit {i}: all well.")))
        .collect();
    store
        .cmd()
        .args(["note", "import"])
        .arg(write_lines(&store, "n.jsonl", &lines))
        .assert()
        .success();
    let before = notes(&store);
    assert_eq!(before.len(), 25);
    let status = store.json(&["status"]);
    assert!(status["recovery_key"].is_string(), "{status}");

    // The passphrase is forgotten: recovery needs none of it.
    recover(&store, &private).success().stdout(predicate::str::contains("1 people, 25 notes"));
    store.cmd().arg("status").assert().code(1).stderr(predicate::str::contains("wrong passphrase"));
    let after = notes_in(&store.json_with(NEW_PASSPHRASE, &["export"]));
    assert_eq!(after, before, "every record is readable again");
    // Still recoverable after the new passphrase.
    assert!(store.json_with(NEW_PASSPHRASE, &["status"])["recovery_key"].is_string());
}

#[test]
fn the_wrong_organisation_key_or_file_is_refused_and_nothing_changes() {
    let org = tempfile::tempdir().unwrap();
    let (private, public) = org_key_pair(org.path(), "org");
    let (other_private, _) = org_key_pair(org.path(), "other");
    let store = store_with_recovery(&public);
    store.cmd().args(["person", "add", "Joan Platt"]).assert().success();
    let before = store.files();

    recover(&store, &other_private)
        .code(1)
        .stderr(predicate::str::contains("was wrapped for organisation key"))
        .stderr(predicate::str::contains("unchanged"));
    recover(&store, &public)
        .code(1)
        .stderr(predicate::str::contains("recovery needs the private key file"));
    assert_eq!(store.files(), before, "a refused recovery touched the files");
    store.cmd().arg("status").assert().success();

    // A device never takes the private key; nothing is made.
    let refused = Store::empty();
    refused
        .cmd()
        .args(["init", "--recovery-key"])
        .arg(&private)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("PRIVATE recovery key"));
    assert!(!refused.dir().exists());
    // A store without the wrap says so.
    recover(&Store::new(), &private)
        .code(1)
        .stderr(predicate::str::contains("no organisation recovery wrap"));
    // Existing files are never overwritten.
    Store::empty()
        .cmd()
        .args(["org-key", "new", "--private"])
        .arg(&private)
        .arg("--public")
        .arg(org.path().join("third.pub"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("never overwritten"));
}

#[test]
fn a_store_made_without_the_key_is_sealed_to_it_on_a_sync_and_then_recoverable() {
    let server = Server::start();
    let org = tempfile::tempdir().unwrap();
    let (private, public) = org_key_pair(org.path(), "org");
    let (_, other_public) = org_key_pair(org.path(), "other");
    let store = Store::new();
    store.cmd().args(["person", "add", "Ann Lee"]).assert().success();
    assert!(store.json(&["status"])["recovery_key"].is_null());

    let public_arg = public.to_str().unwrap();
    let first = sync(&store, &["--server", &server.url, "--recovery-key", public_arg]);
    assert_eq!(first["recovery_key_set"], true);
    let again = sync(&store, &["--recovery-key", public_arg]);
    assert_eq!(again["recovery_key_set"], false, "already sealed to it: nothing changes");
    store
        .cmd()
        .arg("sync")
        .arg("--recovery-key")
        .arg(&other_public)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already recoverable with organisation key"));

    recover(&store, &private).success();
    let people = store.json_with(NEW_PASSPHRASE, &["person", "list"]);
    assert!(people.to_string().contains("Ann Lee"), "{people}");
}
