//! `doorstep device list|revoke`: the account's devices from the server, and a revoked device
//! shut out of both pushing and pulling, with a clear message, its outbox kept.

use predicates::prelude::*;

use crate::common::Store;
use crate::sync_support::{Server, enrolled_device, sync};

#[test]
fn devices_are_listed_with_this_one_marked_and_a_revoked_one_can_neither_push_nor_pull() {
    let server = Server::start();
    let a = Store::new();
    a.cmd().args(["person", "add", "Joan Platt"]).assert().success();
    sync(&a, &["--server", &server.url]);
    let (b, _) = enrolled_device(&a, "second phone");

    let listed = a.json(&["device", "list"]);
    let devices = listed["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2, "{listed}");
    assert_eq!(
        (devices[0]["this_device"].as_bool(), devices[0]["revoked"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(devices[1]["name"], "second phone");
    assert_eq!(devices[1]["this_device"], false);
    let this = devices[0]["device"].as_str().unwrap().to_owned();
    a.cmd()
        .args(["device", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("second phone"))
        .stdout(predicate::str::contains("* this device"));

    // This device only with the flag; unknown names are named.
    a.cmd()
        .args(["device", "revoke", &this])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is this device"))
        .stderr(predicate::str::contains("--allow-this-device"));
    a.cmd()
        .args(["device", "revoke", "the old laptop"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no device of this account is called"));

    a.cmd()
        .args(["device", "revoke", "Second Phone"])
        .assert()
        .success()
        .stdout(predicate::str::contains("is revoked"));
    let listed = a.json(&["device", "list"]);
    assert_eq!(listed["devices"][1]["revoked"], true);
    let again = a.json(&["device", "revoke", "second phone"]);
    assert_eq!(again["already"], true);

    // The revoked device: a pull (nothing queued) and a push (a note queued) are both refused.
    for (what, queued) in [("pull", 0), ("push", 1)] {
        if what == "push" {
            b.cmd()
                .args(["note", "add", "--subject", "Joan Platt", "--text", "Left a card."])
                .assert()
                .success();
        }
        b.cmd()
            .arg("sync")
            .assert()
            .code(1)
            .stderr(predicate::str::contains("this device was revoked"));
        let status = b.json(&["sync", "status"]);
        assert_eq!(
            status["queued"].as_u64().unwrap() + status["unqueued"].as_u64().unwrap(),
            queued,
            "{what}"
        );
    }
    b.cmd()
        .args(["device", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("this device was revoked"));

    // The other device carries on, and never receives the revoked device's refused note.
    a.cmd()
        .args(["note", "add", "--subject", "Joan Platt", "--text", "Phoned Karen."])
        .assert()
        .success();
    let fine = sync(&a, &[]);
    assert_eq!((fine["pushed"].as_u64(), fine["pulled"].as_u64()), (Some(1), Some(0)), "{fine}");
}
