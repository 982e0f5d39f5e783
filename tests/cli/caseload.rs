//! `doorstep caseload key|invite|join`: two practitioners, each with their own account, key file
//! and passphrase, share one caseload through a real server on loopback and converge; the
//! invitation opens in the invited account only, and a second device of the invited practitioner
//! receives the caseload's key with its enrolment.

use predicates::prelude::*;

use crate::common::Store;
use crate::sync_support::{Server, enrolled_device, notes, sync};

const JOAN: &str = "Joan Platt";

#[test]
fn two_practitioners_sharing_a_caseload_converge() {
    let server = Server::start();
    let sam = Store::new();
    sam.cmd().args(["person", "add", JOAN]).assert().success();
    let added = sam.json(&["note", "add", "--subject", JOAN, "--text", "Joan was cheerful."]);
    let first = added["id"].as_str().unwrap().to_owned();
    sync(&sam, &["--server", &server.url]);

    // Priya has an account of her own; her invitation key is public.
    let priya = Store::new();
    let key = priya.json(&["caseload", "key"])["key"].as_str().unwrap().to_owned();
    assert_ne!(sam.json(&["caseload", "key"])["key"], key.as_str(), "two accounts, one key");
    let invited = sam.json(&["caseload", "invite", "--to", &key, "--name", "Priya's phone"]);
    let invitation = invited["code"].as_str().unwrap().to_owned();
    assert!(invitation.starts_with("doorstep-caseload-1."), "{invitation}");

    // Anyone else who gets hold of it cannot use it.
    let stranger = Store::new();
    stranger
        .cmd()
        .args(["caseload", "join", &invitation])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("made for another practitioner's key"));
    assert!(stranger.json(&["sync", "status"])["server"].is_null());

    let joined = priya.json(&["caseload", "join", &invitation]);
    assert_eq!(joined["server"], server.url.as_str());
    let pulled = sync(&priya, &[]);
    assert_eq!(pulled["applied"], 2, "Joan and her note: {pulled}");
    assert_eq!(notes(&priya), notes(&sam));

    // Each writes and edits; both end with the same notes.
    priya
        .cmd()
        .args(["note", "add", "--subject", JOAN, "--text", "Priya visited with the OT."])
        .assert()
        .success();
    priya
        .cmd()
        .args(["note", "edit", &first, "--text", "Joan was cheerful and chatty."])
        .assert()
        .success();
    sync(&priya, &[]);
    sync(&sam, &[]);
    assert_eq!(notes(&sam), notes(&priya));
    assert_eq!(notes(&sam).len(), 2);
    let on_sam = sam.json(&["note", "show", &first]);
    assert_eq!(on_sam["text"], "Joan was cheerful and chatty.");
    let devices = sam.json(&["device", "list"])["devices"].as_array().unwrap().len();
    assert_eq!(devices, 2, "the caseload's space has Sam's and Priya's devices");

    // Priya's second device is enrolled by her first, and gets the caseload's key with it.
    let (tablet, first_sync) = enrolled_device(&priya, "Priya's tablet");
    assert!(first_sync["set_aside"].as_array().unwrap().is_empty(), "{first_sync}");
    assert_eq!(notes(&tablet), notes(&sam));
}
