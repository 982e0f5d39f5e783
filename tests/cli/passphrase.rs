//! Passphrases: the wrong one changes nothing; a change re-wraps the key and nothing else.

use predicates::prelude::*;

use crate::common::Store;

#[test]
fn the_wrong_passphrase_fails_clearly_and_changes_nothing() {
    let store = Store::new();
    store.cmd().args(["person", "add", "Ann Lee"]).assert().success();
    let before = store.files();
    for command in [&["status"][..], &["person", "add", "Bo Ray"], &["note", "list"], &["export"]] {
        store
            .cmd_with("not the passphrase")
            .args(command)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("wrong passphrase"))
            .stdout(predicate::str::is_empty());
    }
    assert_eq!(store.files(), before, "a failed unlock touched the files");
}

#[test]
fn changing_the_passphrase_rewraps_the_key_only() {
    let store = Store::new();
    store.cmd().args(["person", "add", "Ann Lee"]).assert().success();
    let db_before = std::fs::read(store.db()).unwrap();
    store
        .cmd()
        .args(["passphrase", "change"])
        .env("DOORSTEP_NEW_PASSPHRASE", "a much better passphrase")
        .assert()
        .success()
        .stdout(predicate::str::contains("Passphrase changed"));
    assert_eq!(std::fs::read(store.db()).unwrap(), db_before, "the database was re-encrypted");
    store.cmd().arg("status").assert().code(1).stderr(predicate::str::contains("wrong passphrase"));
    let people = store
        .cmd_with("a much better passphrase")
        .args(["--json", "person", "list"])
        .output()
        .unwrap();
    assert!(people.status.success());
    assert!(String::from_utf8_lossy(&people.stdout).contains("Ann Lee"));
}

#[test]
fn weak_or_missing_passphrases_are_refused_with_the_reason() {
    let store = Store::empty();
    store
        .cmd_with("short")
        .arg("init")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("too short"));
    assert!(!store.dir().exists(), "nothing is created for a refused passphrase");
    let store = Store::new();
    store
        .cmd()
        .args(["passphrase", "change"])
        .env("DOORSTEP_NEW_PASSPHRASE", "tiny")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("too short"));
    store.cmd().arg("status").assert().success();
    let mut no_passphrase = store.cmd();
    no_passphrase.env_remove("DOORSTEP_PASSPHRASE");
    no_passphrase
        .arg("status")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("set DOORSTEP_PASSPHRASE"));
}
