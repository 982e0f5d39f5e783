//! `doorstep note import`: line-numbered errors, idempotence and crash consistency.

use predicates::prelude::*;

use crate::common::{Store, eval_notes, import_until_wal_grows, note_line, write_lines};

#[test]
fn the_eval_corpus_imports_once_however_often_it_is_run() {
    let store = Store::new();
    let corpus = eval_notes();
    let report = store.json(&["note", "import", corpus.to_str().unwrap()]);
    assert_eq!(report["added"], 64);
    assert!(report["malformed"].as_array().unwrap().is_empty());
    let again = store.json(&["note", "import", corpus.to_str().unwrap()]);
    assert_eq!(again["added"], 0);
    assert_eq!(again["already_present"], 64);
    assert_eq!(again["people_created"], 0);
    assert_eq!(store.note_count(), 64);
    let note = store.json(&["note", "show", "n001"]);
    assert_eq!(note["external_id"], "n001");
    assert_eq!(note["date"], "2025-01-14");
    assert_eq!(note["service"], "adults");
    assert_eq!(note["source"], "imported");
    let joan = store.json(&["person", "show", "Joan Platt"]);
    assert!(joan["notes"].as_array().unwrap().len() >= 2, "subjects are matched, not duplicated");
}

#[test]
fn malformed_lines_are_reported_by_number_and_good_lines_kept() {
    let store = Store::new();
    let mut lines: Vec<String> = (0..10)
        .map(|i| note_line(&format!("g{i}"), "Ann Lee", &format!("good note {i}")))
        .collect();
    lines[2] = "{\"id\": \"x1\", \"subject\": \"Ann Lee\"".into();
    lines[5] =
        r#"{"id": "x2", "subject": "Ann Lee", "text": "dated", "date": "14/03/2026"}"#.into();
    lines[7] = r#"{"id": "x3", "text": "nobody"}"#.into();
    lines.insert(8, String::new());
    lines[9] = r#"{"id": "x4", "subject": "  ", "text": "blank subject", "extra": [1, 2]}"#.into();
    let file = write_lines(&store, "mixed.jsonl", &lines);
    store
        .cmd()
        .args(["note", "import", "--batch-size", "2"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Added 6 notes"))
        .stderr(predicate::str::contains("line 3: EOF while parsing"))
        .stderr(predicate::str::contains("line 6: `date` \"14/03/2026\" is not a date"))
        .stderr(predicate::str::contains("line 8: missing field `subject`"))
        .stderr(predicate::str::contains("line 10: `subject` cannot be empty"))
        .stderr(predicate::str::contains("4 malformed line(s)"));
    assert_eq!(store.note_count(), 6);
    let fixed = write_lines(&store, "fixed.jsonl", &[note_line("x1", "Ann Lee", "now whole")]);
    store.cmd().args(["note", "import"]).arg(&fixed).assert().success();
    assert_eq!(store.note_count(), 7);
}

#[test]
fn unknown_fields_are_ignored_and_numeric_ids_accepted() {
    let store = Store::new();
    let file = write_lines(
        &store,
        "extra.jsonl",
        &[r#"{"id": 17, "subject": "Bo Ray", "text": "fine", "themes": ["x"], "ties": []}"#.into()],
    );
    let report = store.json(&["note", "import", file.to_str().unwrap()]);
    assert_eq!(report["added"], 1);
    assert_eq!(store.json(&["note", "show", "17"])["text"], "fine");
}

#[test]
fn a_killed_import_leaves_whole_batches_and_resumes_without_duplicates() {
    const BATCH: u64 = 250;
    const TOTAL: u64 = 60_000;
    let store = Store::new();
    let lines: Vec<String> = (0..TOTAL)
        .map(|i| {
            let text = format!(
                "Visit {i}. {}",
                "Mum was calm and the children were at school. ".repeat(12)
            );
            note_line(&format!("k{i}"), &format!("Person {}", i % 97), &text)
        })
        .collect();
    let file = write_lines(&store, "big.jsonl", &lines);
    // Wait until batches are being committed, then kill it mid-flight.
    let mut child = import_until_wal_grows(&store, &file, BATCH, 3 << 20);
    child.kill().unwrap();
    child.wait().unwrap();

    let after_kill = store.note_count();
    assert!(after_kill > 0 && after_kill < TOTAL, "killed mid-import, found {after_kill}");
    assert_eq!(after_kill % BATCH, 0, "a batch was partly written: {after_kill} notes");
    let check = store.json(&["export"]);
    let people = check["people"].as_array().unwrap().len() as u64;
    assert!(people <= 97);

    let report =
        store.json(&["note", "import", "--batch-size", &BATCH.to_string(), file.to_str().unwrap()]);
    assert_eq!(report["added"].as_u64().unwrap(), TOTAL - after_kill);
    assert_eq!(report["already_present"].as_u64().unwrap(), after_kill);
    assert_eq!(store.note_count(), TOTAL);
    let people = store.json(&["person", "list"]);
    assert_eq!(people.as_array().unwrap().len(), 97, "no subject was created twice");
}
