//! `doorstep sync` end to end: a real doorstep-server on loopback (run as a library in this
//! process, over its embedded SQLite), two devices of one account, and the server stopped.
//! Faults (kills, cut and stalled connections, tampered envelopes) are in `sync_faults`.

use crate::common::{Store, contains, note_line, write_lines};
use crate::sync_support::{Server, notes, second_device, sync};

const CANARY: &str = "Marigold sang the lighthouse shanty backwards at teatime";

#[test]
fn notes_reach_a_second_device_once_and_the_server_cannot_read_them() {
    let mut server = Server::start();
    let a = Store::new();
    a.cmd().args(["person", "add", "Joan Platt"]).assert().success();
    let lines = [
        note_line("n1", "Joan Platt", "Home visit. Joan was cheerful and the kitchen was tidy."),
        note_line("n2", "Joan Platt", &format!("Joan said: \"{CANARY}\".")),
        note_line("n3", "Joan Platt", "Phoned her daughter Karen about the shopping."),
    ];
    let file = write_lines(&a, "notes.jsonl", &lines);
    a.cmd().args(["note", "import"]).arg(&file).assert().success();

    let before = a.json(&["sync", "status"]);
    assert_eq!(before["safe_to_close"], false);
    let first = sync(&a, &["--server", &server.url]);
    assert_eq!(first["registered"], true);
    assert_eq!((first["queued"].as_u64(), first["pushed"].as_u64()), (Some(4), Some(4)));
    assert_eq!(first["status"]["queued"], 0);
    assert_eq!(first["status"]["safe_to_close"], true);

    let enrolment = a.json(&["device", "enrol", "--name", "second phone"]);
    let code = enrolment["code"].as_str().unwrap();
    let b = second_device(&a);
    let joined = sync(&b, &["--enrol", code]);
    assert_eq!((joined["pulled"].as_u64(), joined["applied"].as_u64()), (Some(4), Some(4)));
    assert_eq!(notes(&b), notes(&a));
    assert_eq!(notes(&b).len(), 3);

    // Again, from both sides: nothing moves, nothing is duplicated.
    for device in [&a, &b, &a] {
        let again = sync(device, &[]);
        assert_eq!(again["registered"], false);
        for field in ["queued", "pushed", "pulled", "applied"] {
            assert_eq!(again[field], 0, "{field}: {again}");
        }
    }
    assert_eq!(notes(&b), notes(&a));

    // The server holds the canary sealed: not in its database, WAL or shared memory.
    let stored = server.database_bytes();
    assert!(stored.len() > 4096, "the server's database should hold the envelopes");
    assert!(!contains(&stored, CANARY.as_bytes()), "the canary is readable on the server");
    assert!(!contains(&stored, b"Joan Platt"), "a name is readable on the server");
    server.stop();
    assert!(!contains(&server.database_bytes(), CANARY.as_bytes()));
}

#[test]
fn with_the_server_down_sync_fails_clearly_and_the_outbox_keeps_everything() {
    let mut server = Server::start();
    let a = Store::new();
    a.cmd().args(["person", "add", "Ann Lee"]).assert().success();
    sync(&a, &["--server", &server.url]);
    server.stop();

    let lines = [
        note_line("d1", "Ann Lee", "Visited; Ann was out."),
        note_line("d2", "Ann Lee", "Left a card."),
    ];
    let file = write_lines(&a, "down.jsonl", &lines);
    a.cmd().args(["note", "import"]).arg(&file).assert().success();
    let failed = a.cmd().arg("sync").output().unwrap();
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("could not reach the sync server at"), "{stderr}");
    assert!(stderr.contains("queued records stay on this device"), "{stderr}");

    let status = a.json(&["sync", "status"]);
    assert_eq!(status["queued"], 2, "{status}");
    assert_eq!(status["safe_to_close"], false);
    // A second failed attempt queues nothing twice.
    a.cmd().arg("sync").assert().failure();
    assert_eq!(a.json(&["sync", "status"])["queued"], 2);
}

#[test]
fn the_sync_benchmark_moves_every_note_and_reports_each_figure() {
    let store = Store::empty();
    let notes = crate::common::eval_notes();
    let report = store.json(&[
        "bench",
        "sync",
        "--notes",
        notes.to_str().unwrap(),
        "--count",
        "40",
        "--devices",
        "3",
        "--per-device",
        "10",
        "--batch",
        "4",
        "--audio-minutes",
        "1",
    ]);
    let trip = &report["round_trip"];
    let audio = &report["audio"];
    assert_eq!((audio["minutes"].as_u64(), audio["bytes"].as_u64()), (Some(1), Some(1_920_000)));
    assert_eq!(audio["pieces"], 8, "{audio}");
    assert_eq!(trip["notes"], 40);
    assert!(trip["envelopes"].as_u64().unwrap() >= 40, "{trip}");
    assert_eq!(report["ingest_sqlite"]["envelopes"], 30);
    // cmd() clears the environment, so no PostgreSQL server is named: reported as not run.
    assert!(report["ingest_postgres"]["not_run"].is_string(), "{report}");
    for figure in [&trip["ratio_to_ceiling"], &report["ingest_sqlite"]["mb_per_s"]] {
        assert!(figure.as_f64().unwrap() > 0.0, "{report}");
    }
    assert!(report["ceiling"]["seals_per_s"].as_f64().unwrap() > 0.0);
}
