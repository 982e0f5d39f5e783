//! Damaged, missing and foreign files get clear errors, never a panic, and are left untouched.

use std::fs;

use predicates::prelude::*;

use crate::common::{Store, eval_notes};

fn imported() -> Store {
    let store = Store::new();
    store.cmd().args(["note", "import"]).arg(eval_notes()).assert().success();
    store
}

fn fails_cleanly(store: &Store, args: &[&str], message: &str) {
    store
        .cmd()
        .args(args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn a_truncated_database_is_reported_and_left_alone() {
    let store = imported();
    let bytes = fs::read(store.db()).unwrap();
    for keep in [0, 100, 4096 + 17, bytes.len() / 2] {
        fs::write(store.db(), &bytes[..keep]).unwrap();
        for args in [&["status"][..], &["note", "list"], &["export"]] {
            fails_cleanly(&store, args, "damaged");
        }
        assert_eq!(fs::read(store.db()).unwrap().len(), keep, "the damaged file was modified");
    }
}

#[test]
fn corrupted_pages_are_reported_not_panicked_on() {
    let store = imported();
    let mut bytes = fs::read(store.db()).unwrap();
    let len = bytes.len();
    for at in (4096..len).step_by(4096) {
        bytes[at + 100] ^= 0xff;
    }
    fs::write(store.db(), &bytes).unwrap();
    fails_cleanly(&store, &["export"], "damaged");
}

#[test]
fn a_damaged_or_missing_key_file_is_named() {
    let store = imported();
    let keys = store.dir().join("keys.json");
    fs::write(&keys, b"{\"format\": 1, \"key_id\": ").unwrap();
    fails_cleanly(&store, &["status"], "key file");
    fs::remove_file(&keys).unwrap();
    fails_cleanly(&store, &["status"], "key file is missing");
    let empty = Store::empty();
    fails_cleanly(&empty, &["status"], "run `doorstep init` first");
}

#[test]
fn init_never_overwrites_a_store() {
    let store = imported();
    let before = store.files();
    fails_cleanly(&store, &["init"], "already exists");
    assert_eq!(store.files(), before);
}

#[test]
fn a_missing_database_is_named() {
    let store = imported();
    fs::remove_file(store.db()).unwrap();
    fails_cleanly(&store, &["status"], "database");
    assert!(!store.db().exists(), "a missing database is not silently recreated");
}
