//! `doorstep ecomap suggest|show|confirm|history|diff`, end to end on a real encrypted store:
//! a map proposed from notes, confirmed, updated by a later note, compared across versions,
//! corrected and rejected by the practitioner; and bad input answered clearly.
//!
//! What the extractor finds is tested with plain, obvious sentences only; its accuracy is scored
//! by `doorstep eval ecomap`.

use serde_json::Value;

use crate::common::{Store, write_lines};

const JOAN: &str = "Joan Platt";

fn line(id: &str, subject: &str, date: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "subject": subject, "date": date, "text": text }).to_string()
}

fn import(store: &Store, name: &str, lines: &[String]) {
    let file = write_lines(store, name, lines);
    store.cmd().args(["note", "import"]).arg(&file).assert().success();
}

/// Runs `doorstep ARGS`, expecting it to fail with `code`; returns what it said on stderr.
fn fails(store: &Store, args: &[&str], code: i32) -> String {
    let out = store.cmd().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ties(map: &Value) -> &Vec<Value> {
    map["ties"].as_array().unwrap()
}

/// The tie whose name mentions `name`.
fn tie<'a>(map: &'a Value, name: &str) -> &'a Value {
    ties(map)
        .iter()
        .find(|t| t["who"].as_str().unwrap().to_lowercase().contains(&name.to_lowercase()))
        .unwrap_or_else(|| panic!("no tie for {name}: {map:#}"))
}

fn has_tie(map: &Value, name: &str) -> bool {
    ties(map)
        .iter()
        .any(|t| t["who"].as_str().unwrap().to_lowercase().contains(&name.to_lowercase()))
}

fn history(store: &Store, person: &str) -> Vec<(u64, u64)> {
    store.json(&["ecomap", "history", person])["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_u64().unwrap(), v["ties"].as_u64().unwrap()))
        .collect()
}

#[test]
fn a_map_is_proposed_confirmed_updated_and_compared_across_versions() {
    let store = Store::new();
    import(
        &store,
        "first.jsonl",
        &[line(
            "e1",
            JOAN,
            "2026-01-05",
            "Her daughter Karen visits every day and does her shopping.",
        )],
    );

    // Before anything is confirmed: the proposal, and all of it is new.
    let shown = store.json(&["ecomap", "show", JOAN]);
    assert_eq!(shown["person"]["name"], JOAN);
    assert_eq!(shown["confirmed"], Value::Null);
    assert_eq!(shown["proposal"]["notes_read"].as_array().unwrap().len(), 1);
    let karen = tie(&shown["proposal"]["map"], "Karen");
    assert_eq!(karen["category"], "family");
    assert_eq!(karen["quality"], "strong");
    assert_eq!(karen["support"], "to_subject");
    assert!(karen["evidence"]["text"].as_str().unwrap().contains("Karen"), "{karen:#}");
    assert!(shown["diff"]["new"].as_array().unwrap().iter().any(|t| t["who"] == karen["who"]));
    let text = store.cmd().args(["ecomap", "show", JOAN]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Confirmed: none yet") && text.contains("new: "), "{text}");
    assert!(text.contains("doorstep ecomap confirm \"Joan Platt\""), "{text}");

    let first = store.json(&["ecomap", "confirm", JOAN]);
    assert_eq!(first["version"], 1);
    let karen_id = tie(&first["map"], "Karen")["id"].clone();

    // Nothing new: the confirmed map is shown and there is nothing to confirm.
    let shown = store.json(&["ecomap", "show", JOAN]);
    assert_eq!(shown["confirmed"]["version"], 1);
    assert_eq!(shown["proposal"], Value::Null);
    let err = fails(&store, &["ecomap", "confirm", JOAN], 1);
    assert!(err.contains("nothing to confirm") && err.contains("version 1"), "{err}");

    // A later note changes the tie: the same node, now stressful.
    import(
        &store,
        "later.jsonl",
        &[line(
            "e2",
            JOAN,
            "2026-02-10",
            "Her daughter Karen has fallen out with her after a row about money.",
        )],
    );
    let shown = store.json(&["ecomap", "show", JOAN]);
    let proposed = &shown["proposal"]["map"];
    assert_eq!(tie(proposed, "Karen")["id"], karen_id, "one node for Karen: {proposed:#}");
    let changed = &shown["diff"]["changed"][0];
    assert_eq!(changed["id"], karen_id, "{shown:#}");
    assert_eq!(
        changed["changes"][0],
        serde_json::json!({ "field": "quality", "from": "strong", "to": "stressful" })
    );
    let second = store.json(&["ecomap", "confirm", JOAN]);
    assert_eq!(second["version"], 2);
    assert_eq!(
        history(&store, JOAN),
        [
            (1, first["map"]["ties"].as_array().unwrap().len() as u64),
            (2, second["map"]["ties"].as_array().unwrap().len() as u64)
        ]
    );

    let compared = store.json(&["ecomap", "diff", JOAN, "1", "2"]);
    assert_eq!(compared["diff"]["changed"][0]["id"], karen_id);
    let out = store.cmd().args(["ecomap", "diff", JOAN, "1", "2"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("changed: ") && text.contains("strong -> stressful"), "{text}");
    let same = store.json(&["ecomap", "diff", JOAN, "2", "2"]);
    assert_eq!(same["diff"]["changed"], serde_json::json!([]));

    // Version 1 reads as it was confirmed.
    let back = store.json(&["ecomap", "diff", JOAN, "2", "1"]);
    assert_eq!(back["diff"]["changed"][0]["changes"][0]["to"], "strong");
    let out = store.cmd().args(["ecomap", "history", JOAN]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("VERSION") && text.lines().count() == 3, "{text}");

    // Nothing pending: the drawing is of the confirmed map.
    let (svg, png) = (store.home.path().join("joan.svg"), store.home.path().join("joan.png"));
    store
        .cmd()
        .args(["ecomap", "show", JOAN, "--svg"])
        .arg(&svg)
        .arg("--png")
        .arg(&png)
        .assert()
        .success();
    let drawing = std::fs::read_to_string(&svg).unwrap();
    assert!(drawing.contains("<svg") && drawing.contains("Karen"), "{drawing}");
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"));
    let err = fails(&store, &["ecomap", "show", JOAN, "--svg", "/nonexistent/dir/x.svg"], 1);
    assert!(err.contains("cannot write the drawing to /nonexistent/dir/x.svg"), "{err}");
}

#[test]
fn a_rejected_node_stays_gone_and_corrections_are_kept() {
    let store = Store::new();
    import(
        &store,
        "dev.jsonl",
        &[
            line(
                "d1",
                "Dev Patel",
                "2026-01-05",
                "His daughter Priya does his shopping every week.",
            ),
            line(
                "d2",
                "Dev Patel",
                "2026-01-12",
                "His son Lee has fallen out with him over money.",
            ),
        ],
    );
    let shown = store.json(&["ecomap", "show", "Dev Patel"]);
    assert!(has_tie(&shown["proposal"]["map"], "Lee"), "{shown:#}");
    assert!(has_tie(&shown["proposal"]["map"], "Priya"), "{shown:#}");

    let saved = store.json(&[
        "ecomap",
        "confirm",
        "Dev Patel",
        "--reject",
        "Lee",
        "--set",
        "Priya:quality=tenuous",
        "--set",
        "Priya:role=daughter and carer",
    ]);
    assert_eq!(saved["version"], 1);
    assert!(!has_tie(&saved["map"], "Lee"), "{saved:#}");
    let priya = tie(&saved["map"], "Priya");
    assert_eq!(
        (priya["quality"].as_str(), priya["role"].as_str()),
        (Some("tenuous"), Some("daughter and carer"))
    );

    // A later note names Lee again: he is not proposed, and Priya keeps her correction until a
    // note says otherwise.
    import(
        &store,
        "dev-later.jsonl",
        &[line("d3", "Dev Patel", "2026-02-01", "His son Lee came round and they argued again.")],
    );
    let shown = store.json(&["ecomap", "show", "Dev Patel"]);
    assert!(!has_tie(&shown["proposal"]["map"], "Lee"), "{shown:#}");
    assert_eq!(tie(&shown["proposal"]["map"], "Priya")["quality"], "tenuous");
    let saved = store.json(&["ecomap", "confirm", "Dev Patel"]);
    assert_eq!(saved["version"], 2);
    assert!(!has_tie(&saved["map"], "Lee"));

    // With nothing new, corrections alone make a version.
    let saved = store.json(&["ecomap", "confirm", "Dev Patel", "--set", "Priya:support=both"]);
    assert_eq!(saved["version"], 3);
    assert_eq!(tie(&saved["map"], "Priya")["support"], "both");
    assert_eq!(saved["diff"]["changed"][0]["changes"][0]["field"], "support");
}

#[test]
fn bad_input_is_a_clear_error_that_changes_nothing() {
    let store = Store::new();
    import(
        &store,
        "joan.jsonl",
        &[line(
            "b1",
            JOAN,
            "2026-01-05",
            "Her daughter Karen visits every day and does her shopping.",
        )],
    );

    let err = fails(&store, &["ecomap", "show", "Nobody Known"], 1);
    assert!(err.contains("no such person") && err.contains("Nobody Known"), "{err}");
    let err = fails(&store, &["ecomap", "history", "Nobody Known"], 1);
    assert!(err.contains("no such person"), "{err}");
    let err = fails(&store, &["ecomap", "diff", JOAN, "1", "2"], 1);
    assert!(err.contains("no ecomap has been confirmed yet"), "{err}");

    // A value that is not a quality is refused before the store is opened.
    let err = fails(&store, &["ecomap", "confirm", JOAN, "--set", "Karen:quality=fabulous"], 2);
    assert!(err.contains("\"fabulous\" is not a quality") && err.contains("tenuous"), "{err}");
    let err = fails(&store, &["ecomap", "confirm", JOAN, "--set", "Karen:mood=happy"], 2);
    assert!(err.contains("quality, support, role, category or note"), "{err}");
    let err = fails(&store, &["ecomap", "confirm", JOAN, "--set", "Karen=strong"], 2);
    assert!(err.contains("WHO:FIELD=VALUE"), "{err}");
    // A name that is not on the map, whether set or rejected.
    let err = fails(&store, &["ecomap", "confirm", JOAN, "--set", "Zebedee:quality=strong"], 1);
    assert!(err.contains("no one called \"Zebedee\"") && err.contains("Karen"), "{err}");
    let err = fails(&store, &["ecomap", "confirm", JOAN, "--reject", "Zebedee"], 1);
    assert!(err.contains("--reject Zebedee") && err.contains("no one called"), "{err}");
    assert!(history(&store, JOAN).is_empty(), "a refused confirm saves nothing");
    // The notes are still waiting to be read.
    assert_eq!(
        store.json(&["ecomap", "show", JOAN])["proposal"]["notes_read"].as_array().unwrap().len(),
        1
    );

    store.json(&["ecomap", "confirm", JOAN]);
    let err = fails(&store, &["ecomap", "diff", JOAN, "1", "9"], 1);
    assert!(err.contains("there is no ecomap version 9: the only version is 1"), "{err}");
    let err = fails(&store, &["ecomap", "diff", JOAN, "1", "-1"], 2);
    assert!(err.contains("-1"), "{err}");
    let err = fails(&store, &["ecomap", "confirm", "Nobody Known"], 1);
    assert!(err.contains("no such person"), "{err}");
}

#[test]
fn a_note_too_long_to_read_is_named_and_the_rest_of_the_map_goes_on() {
    let store = Store::new();
    let long = "She talked about the weather and the garden. ".repeat(6_000);
    import(
        &store,
        "long.jsonl",
        &[
            line("huge-note", JOAN, "2026-01-04", &long),
            line(
                "l2",
                JOAN,
                "2026-01-05",
                "Her daughter Karen visits every day and does her shopping.",
            ),
        ],
    );
    let out = store.cmd().args(["--json", "ecomap", "show", JOAN]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("huge-note") && err.contains("words"), "{err}");
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["unreadable"][0]["external_id"], "huge-note");
    assert_eq!(shown["proposal"]["notes_read"].as_array().unwrap().len(), 1);
    let saved = store.json(&["ecomap", "confirm", JOAN]);
    assert_eq!(saved["version"], 1);
    // The long note is still unread, and still reported.
    let shown = store.json(&["ecomap", "show", JOAN]);
    assert_eq!(shown["proposal"], Value::Null);
    assert_eq!(shown["unreadable"].as_array().unwrap().len(), 1);
    let out = store.cmd().args(["ecomap", "show", JOAN]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("could not be read"));
}

/// `doorstep ecomap suggest`: stdin in, ties out; needs no store.
fn suggest(store: &Store, args: &[&str], stdin: &str) -> std::process::Output {
    store.cmd().args(["ecomap", "suggest"]).args(args).write_stdin(stdin).output().unwrap()
}

#[test]
fn suggest_reads_stdin_into_ties_with_evidence() {
    let store = Store::empty();
    let text = "Visited Joan. Her daughter Karen visits every day and does her shopping.";
    let out = suggest(&store, &["--json", "--subject", JOAN], text);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let suggested: Value = serde_json::from_slice(&out.stdout).unwrap();
    let karen = tie(&suggested, "Karen");
    for field in ["who", "role", "category", "quality", "support"] {
        assert!(karen[field].is_string(), "{field}: {karen:#}");
    }
    let evidence = &karen["evidence"];
    let (start, end) = (evidence["start"].as_u64().unwrap(), evidence["end"].as_u64().unwrap());
    let by_offsets: String =
        text.chars().skip(start as usize).take((end - start) as usize).collect();
    assert_eq!(evidence["text"].as_str().unwrap(), by_offsets);
    assert!(!has_tie(&suggested, "Joan"), "the subject is not a tie of their own: {suggested:#}");

    let out = suggest(&store, &[], text);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("WHO") && table.contains("Karen"), "{table}");
}

#[test]
fn suggest_answers_empty_long_and_any_script_input_sensibly() {
    let store = Store::empty();
    for stdin in ["", "   \n\t  "] {
        let out = suggest(&store, &["--json"], stdin);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let suggested: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(suggested["ties"], serde_json::json!([]));
    }
    let out = suggest(&store, &[], "");
    assert!(String::from_utf8_lossy(&out.stdout).contains("No ties"));

    // A subject named in emoji and right-to-left script, and a note that uses it.
    for subject in ["سارة 🌻", "🌻", "שרה כהן", "‏Sara‎"] {
        let text =
            format!("{subject} said her daughter Karen visits every day and does her shopping.");
        let out = suggest(&store, &["--json", "--subject", subject], &text);
        assert!(out.status.success(), "{subject}: {}", String::from_utf8_lossy(&out.stderr));
        let suggested: Value = serde_json::from_slice(&out.stdout).unwrap();
        for t in ties(&suggested) {
            let evidence = &t["evidence"];
            let (start, end) =
                (evidence["start"].as_u64().unwrap(), evidence["end"].as_u64().unwrap());
            let by_offsets: String =
                text.chars().skip(start as usize).take((end - start) as usize).collect();
            assert_eq!(evidence["text"].as_str().unwrap(), by_offsets, "{subject}");
        }
    }

    let long = "word ".repeat(50_000);
    let err = {
        let out = suggest(&store, &["--json"], &long);
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(err.contains("50000 words"), "{err}");

    let out = store
        .cmd()
        .args(["ecomap", "suggest"])
        .write_stdin(vec![0xff, 0xfe, b'a'])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
}

#[test]
fn a_person_named_in_any_script_has_a_map() {
    let store = Store::new();
    let name = "سارة 🌻";
    import(
        &store,
        "sara.jsonl",
        &[line(
            "r1",
            name,
            "2026-01-05",
            "Her daughter Karen visits every day and does her shopping.",
        )],
    );
    let saved = store.json(&["ecomap", "confirm", name]);
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["person"]["name"], name);
    assert_eq!(history(&store, name).len(), 1);
    let out = store.cmd().args(["ecomap", "show", name]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&format!("{name}'s ecomap")));
}
