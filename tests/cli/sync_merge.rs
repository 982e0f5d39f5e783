//! Changes after a note's first sync, end to end through a real server on loopback: an edit, the
//! person's own words and an approval on one device, and a confirmed ecomap, reach the other
//! device; then both devices edit the same note and confirm different changes to the ecomap
//! without seeing each other, and end with the same note and the same map.

use serde_json::Value;

use crate::common::Store;
use crate::sync_support::{Server, enrolled_device, sync};

const JOAN: &str = "Joan Platt";

/// Adds a draft note about Joan; returns its id.
fn draft(store: &Store, text: &str) -> String {
    let note = store.json(&["note", "add", "--subject", JOAN, "--text", text]);
    note["id"].as_str().unwrap().to_owned()
}

/// Text, status and own words of a note.
fn shown(store: &Store, id: &str) -> (Value, Value, Value) {
    let note = store.json(&["note", "show", id]);
    (note["text"].clone(), note["status"].clone(), note["own_words"].clone())
}

/// The person's latest confirmed ecomap.
fn map(store: &Store) -> Value {
    store.json(&["ecomap", "show", JOAN])["confirmed"]["map"].clone()
}

/// The tie whose name mentions `name`.
fn tie<'a>(map: &'a Value, name: &str) -> &'a Value {
    map["ties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["who"].as_str().unwrap().contains(name))
        .unwrap_or_else(|| panic!("no tie for {name}: {map:#}"))
}

fn history(store: &Store, id: &str) -> Vec<String> {
    let versions = store.json(&["note", "history", id])["versions"].clone();
    versions.as_array().unwrap().iter().map(|v| v["text"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn edits_approvals_and_ecomaps_reach_the_other_device_and_concurrent_changes_converge() {
    let server = Server::start();
    let a = Store::new();
    a.cmd().args(["person", "add", JOAN]).assert().success();
    let m1 = draft(&a, "Her daughter Karen visits every day and does her shopping.");
    let m2 = draft(&a, "Her neighbour Pat Bennett pops in most mornings for a chat.");
    sync(&a, &["--server", &server.url]);
    let (b, _) = enrolled_device(&a, "second phone");

    // A corrects a note, marks the person's words, approves it and confirms the ecomap.
    let corrected = "Her daughter Karen visits every day. Joan said \"she keeps me going\".";
    a.cmd().args(["note", "edit", &m1, "--text", corrected]).assert().success();
    a.cmd().args(["note", "own-words", &m1, "48..66"]).assert().success();
    a.cmd().args(["note", "approve", &m1]).assert().success();
    let confirmed = a.json(&["ecomap", "confirm", JOAN]);
    assert_eq!(confirmed["version"], 1);
    let queued = sync(&a, &[]);
    assert_eq!(queued["queued"], 2, "one new version of the note, one ecomap: {queued}");

    let pulled = sync(&b, &[]);
    assert_eq!(pulled["applied"], 2, "{pulled}");
    let on_a = shown(&a, &m1);
    assert_eq!(on_a.0, corrected);
    assert_eq!(on_a.1, "approved");
    assert_eq!(on_a.2, serde_json::json!([{ "start": 48, "end": 66 }]));
    assert_eq!(shown(&b, &m1), on_a);
    assert_eq!(map(&b), map(&a));
    assert_eq!(tie(&map(&b), "Karen")["quality"], "strong");
    // The first version stays readable on both devices.
    let first = "Her daughter Karen visits every day and does her shopping.";
    assert_eq!(history(&b, &m1), [first, corrected]);
    assert_eq!(history(&a, &m1), history(&b, &m1));
    // An approved note received is the record there too.
    b.cmd().args(["note", "edit", &m1, "--text", "Changed?"]).assert().code(1);

    // Both edit the same draft and confirm different changes to the map, without syncing.
    a.cmd()
        .args(["note", "edit", &m2, "--text", "Pat Bennett calls in daily (A)."])
        .assert()
        .success();
    b.cmd()
        .args(["note", "edit", &m2, "--text", "Pat Bennett pops in each morning (B)."])
        .assert()
        .success();
    a.cmd().args(["ecomap", "confirm", JOAN, "--set", "Karen:quality=tenuous"]).assert().success();
    let bennett = tie(&map(&b), "Bennett")["who"].as_str().unwrap().to_owned();
    let set = format!("{bennett}:quality=stressful");
    b.cmd().args(["ecomap", "confirm", JOAN, "--set", &set]).assert().success();
    for device in [&a, &b, &a] {
        sync(device, &[]);
    }

    assert_eq!(shown(&a, &m2), shown(&b, &m2));
    assert_eq!(shown(&a, &m2).0, "Pat Bennett pops in each morning (B).", "the later edit wins");
    let texts = history(&a, &m2);
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts.contains(&"Pat Bennett calls in daily (A).".to_owned()), "{texts:?}");
    assert_eq!(history(&b, &m2), texts);
    let merged = map(&a);
    assert_eq!(map(&b), merged);
    assert_eq!(tie(&merged, "Karen")["quality"], "tenuous", "A's change was lost: {merged:#}");
    assert_eq!(tie(&merged, "Bennett")["quality"], "stressful", "B's change was lost: {merged:#}");

    // Nothing left to share, nothing shared back.
    for device in [&a, &b] {
        let again = sync(device, &[]);
        for field in ["queued", "pushed", "pulled", "applied"] {
            assert_eq!(again[field], 0, "{field}: {again}");
        }
    }
}

/// What two devices must agree on about a person (household ids are each store's own).
fn person_fields(store: &Store, name: &str) -> (Value, Value, Value, Value) {
    let person = store.json(&["person", "show", name]);
    (
        person["name"].clone(),
        person["aliases"].clone(),
        person["date_of_birth"].clone(),
        person["household_name"].clone(),
    )
}

#[test]
fn a_person_travels_whole_and_edits_to_different_fields_both_survive() {
    let server = Server::start();
    let a = Store::new();
    a.cmd()
        .args(["person", "add", "Ivy Collins", "--alias", "Nan", "--dob", "1938-06-01"])
        .args(["--household", "Collins family", "--external-id", "MOS-12"])
        .assert()
        .success();
    sync(&a, &["--server", &server.url]);
    let (b, _) = enrolled_device(&a, "tablet");
    assert_eq!(person_fields(&b, "Nan"), person_fields(&a, "Ivy Collins"));
    assert_eq!(b.json(&["person", "show", "MOS-12"])["name"], "Ivy Collins");

    // Without seeing each other: A clears the date of birth, B renames the aliases; then both
    // move her to a different household.
    a.cmd().args(["person", "edit", "Ivy Collins", "--no-dob"]).assert().success();
    b.cmd().args(["person", "edit", "Ivy Collins", "--alias", "Grandma Ivy"]).assert().success();
    a.cmd().args(["person", "edit", "Ivy Collins", "--household", "Moor Lane"]).assert().success();
    b.cmd().args(["person", "edit", "Ivy Collins", "--household", "Hill Top"]).assert().success();
    let status = b.json(&["sync", "status"]);
    assert_eq!(status["unqueued"], 2, "two fields edited: {status:#}");
    sync(&a, &[]);
    sync(&b, &[]);
    sync(&a, &[]);
    let on_a = person_fields(&a, "Ivy Collins");
    assert_eq!(on_a, person_fields(&b, "Ivy Collins"), "the devices differ");
    assert_eq!(on_a.1, serde_json::json!(["Grandma Ivy"]), "B's aliases were lost");
    assert_eq!(on_a.2, Value::Null, "A's cleared date of birth came back");
    assert_eq!(on_a.3, "Hill Top", "the household sealed last wins");
    let quiet = sync(&b, &[]);
    assert_eq!(quiet["pushed"], 0, "{quiet:#}");
}
