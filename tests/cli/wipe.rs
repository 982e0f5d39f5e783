//! `doorstep wipe`: refused while records are only on this device (saying how many), and
//! otherwise the key file shredded and the store deleted, leaving nothing of it readable.

use predicates::prelude::*;

use crate::common::Store;
use crate::sync_support::{Server, sync};

const NAME: &str = "Philippa Quennell-Arbuthnot";

fn store_with_a_note() -> Store {
    let store = Store::new();
    store.cmd().args(["person", "add", NAME]).assert().success();
    store
        .cmd()
        .args(["note", "add", "--subject", NAME, "--text", "Talked about the allotment."])
        .assert()
        .success();
    store
}

#[test]
fn unsynced_records_refuse_a_wipe_without_yes_and_with_yes_nothing_readable_is_left() {
    let store = store_with_a_note();
    let key_file = std::fs::read(store.dir().join("keys.json")).unwrap();
    store
        .cmd()
        .arg("wipe")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 record(s) are only on this device and would be lost"))
        .stderr(predicate::str::contains("nothing was wiped"));
    assert_eq!(std::fs::read(store.dir().join("keys.json")).unwrap(), key_file);
    assert_eq!(store.note_count(), 1, "a refused wipe lost the note");

    let wiped = store.json(&["wipe", "--yes"]);
    assert_eq!(wiped["unsynced_lost"], 2, "{wiped}");
    assert!(wiped["shredded"][0].as_str().unwrap().ends_with("keys.json"));
    assert!(!store.dir().exists(), "the empty data directory is removed too");
    store
        .cmd()
        .arg("status")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no Doorstep store"));
}

#[test]
fn a_synced_store_wipes_without_yes_and_a_lost_passphrase_still_wipes_with_yes() {
    let server = Server::start();
    let store = store_with_a_note();
    std::fs::create_dir_all(store.dir().join("models")).unwrap();
    sync(&store, &["--server", &server.url]);
    store
        .cmd()
        .arg("wipe")
        .assert()
        .success()
        .stdout(predicate::str::contains("the key file was overwritten and deleted first"))
        .stdout(predicate::str::contains("Nothing was lost"))
        .stdout(predicate::str::contains("(speech models: no case data)"));
    assert_eq!(store.files(), Vec::new(), "only the empty models folder is left");
    assert!(store.dir().join("models").is_dir());

    let forgotten = store_with_a_note();
    forgotten
        .cmd()
        .env_remove("DOORSTEP_PASSPHRASE")
        .args(["wipe"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--yes"));
    forgotten
        .cmd()
        .env_remove("DOORSTEP_PASSPHRASE")
        .args(["wipe", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("was not checked"));
    assert!(!forgotten.dir().exists());
}
