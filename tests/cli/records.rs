//! People, visits and notes through the CLI, in text and JSON, with its exit codes.

use predicates::prelude::*;

use crate::common::Store;

#[test]
fn a_caseload_is_recorded_and_read_back() {
    let store = Store::new();
    let joan = store.json(&[
        "person",
        "add",
        "Joan Platt",
        "--alias",
        "Nan",
        "--alias",
        "Grandma Jo",
        "--dob",
        "1944-02-01",
        "--household",
        "Platt family",
    ]);
    store
        .cmd()
        .args(["person", "add", "Karen Platt", "--household", "platt family"])
        .assert()
        .success();
    let visit = store.json(&[
        "visit",
        "add",
        "--subject",
        "nan",
        "--at",
        "2026-03-14 10:30",
        "--place",
        "Moss Lane",
        "--present",
        "Joan",
        "--present",
        "Karen",
        "--child-seen-alone",
        "no",
        "--consent-by",
        "Joan",
    ]);
    assert_eq!(visit["consent"], serde_json::json!({"status": "given", "by": "Joan"}));
    assert_eq!(visit["child_seen_alone"], false);
    let note = store.json(&[
        "note",
        "add",
        "--subject",
        "Grandma Jo",
        "--date",
        "2026-03-14",
        "--visit",
        visit["id"].as_str().unwrap(),
        "--text",
        "Joan said \"I manage\" and showed me her garden.",
    ]);
    assert_eq!(note["subject"], joan["id"]);
    assert_eq!(note["author"], "Sam Okafor");
    assert_eq!(note["status"], "draft");
    assert_eq!(note["source"], "typed");
    assert_eq!(note["own_words"], serde_json::json!([{"start": 11, "end": 19}]));

    let shown = store.json(&["person", "show", "Joan Platt"]);
    assert_eq!(shown["aliases"], serde_json::json!(["Grandma Jo", "Nan"]));
    assert_eq!(shown["household_members"][0]["name"], "Karen Platt");
    assert_eq!(shown["visits"], 1);
    assert_eq!(shown["notes"].as_array().unwrap().len(), 1);

    store
        .cmd()
        .args(["note", "show", note["id"].as_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("In their own words:\n  “I manage”"));
    store
        .cmd()
        .args(["note", "list", "--subject", "nan"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-03-14  Joan Platt"));
    store
        .cmd()
        .args(["visit", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("given by Joan"));

    let export = store.json(&["export"]);
    assert_eq!(export["format"], "doorstep-export/1");
    assert_eq!(export["people"].as_array().unwrap().len(), 2);
    assert_eq!(export["households"].as_array().unwrap().len(), 1);
    assert_eq!(export["visits"].as_array().unwrap().len(), 1);
    assert_eq!(export["notes"][0]["text"], note["text"]);
}

#[test]
fn a_note_can_come_from_a_file_or_standard_input() {
    let store = Store::new();
    store.cmd().args(["person", "add", "Bo Ray"]).assert().success();
    let path = store.home.path().join("note.txt");
    std::fs::write(&path, "Typed up later from my notebook.\n").unwrap();
    let from_file =
        store.json(&["note", "add", "--subject", "Bo Ray", "--file", path.to_str().unwrap()]);
    assert_eq!(from_file["text"], "Typed up later from my notebook.");
    let out = store
        .cmd()
        .args(["--json", "note", "add", "--subject", "Bo Ray", "--file", "-"])
        .write_stdin("Dictated into a pipe.")
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn usage_errors_exit_2_and_other_errors_exit_1_naming_the_problem() {
    let store = Store::new();
    store.cmd().args(["person", "add", "Bo Ray"]).assert().success();
    for args in [
        &["note", "add", "--subject", "Bo Ray"][..],
        &["note", "add", "--subject", "Bo Ray", "--text", "a", "--file", "f"],
        &["note", "add", "--subject", "Bo Ray", "--date", "14/03/2026", "--text", "a"],
        &["visit", "add", "--subject", "Bo Ray", "--at", "yesterday"],
        &["frobnicate"],
    ] {
        store.cmd().args(args).assert().code(2);
    }
    store
        .cmd()
        .args(["note", "add", "--subject", "Nobody Here", "--text", "a"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such person: Nobody Here"));
    store
        .cmd()
        .args(["note", "show", "n999"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such note: n999"));
    store
        .cmd()
        .args(["note", "add", "--subject", "Bo Ray", "--text", "   "])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("text cannot be empty"));
    store.cmd().args(["person", "add", "Bo Ray"]).assert().success();
    store
        .cmd()
        .args(["note", "add", "--subject", "bo ray", "--text", "which one?"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 people match \"bo ray\""));
    store
        .cmd()
        .args(["note", "import", "/no/such/file.jsonl"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot open /no/such/file.jsonl"));
}

#[test]
fn names_in_any_script_are_kept_exactly() {
    let store = Store::new();
    for name in ["Zoë Ångström", "محمد الأحمد", "李小龍", "Dani 🌈 Okoro"] {
        let person = store.json(&["person", "add", name]);
        assert_eq!(person["name"], name);
        assert_eq!(store.json(&["person", "show", name])["name"], name);
    }
}

#[test]
fn a_note_is_tied_only_to_a_visit_of_its_own_subject() {
    let store = Store::new();
    store.cmd().args(["person", "add", "Ann Lee"]).assert().success();
    store.cmd().args(["person", "add", "Bo Ray"]).assert().success();
    let visit = store.json(&["visit", "add", "--subject", "Ann Lee", "--place", "Flat 2"]);
    let id = visit["id"].as_str().unwrap();
    store
        .cmd()
        .args(["note", "add", "--subject", "Bo Ray", "--visit", id, "--text", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was to someone else"));
    store
        .cmd()
        .args([
            "note",
            "add",
            "--subject",
            "Ann Lee",
            "--visit",
            "0190a5c4-7b1e-7c3a-9f00-1234567890ab",
        ])
        .args(["--text", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such visit"));
    let note = store.json(&["note", "add", "--subject", "Ann Lee", "--visit", id, "--text", "ok"]);
    assert_eq!(note["visit"], visit["id"]);
}
