//! Sync under faults, end to end against a real doorstep-server on loopback: the server killed
//! with SIGKILL during a push and restarted on the same database, the client killed mid-push and
//! mid-pull, connections cut or stalled by a proxy, and envelopes tampered with or replayed on
//! the server. After recovery every note is on every device exactly once, and on the server
//! exactly once.

use std::path::Path;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use uuid::Uuid;

use crate::common::{Store, note_line, write_lines};
use crate::sync_proxy::{Mode, Proxy};
use crate::sync_support::{
    Server, ServerProcess, assert_same_notes_once, enrolled_device, envelopes_on_server, finish,
    many_notes, spawn_sync, sync, wait_for_envelopes, wait_for_growth,
};

/// Notes in the kill tests: fifteen pushes of 200, so a kill lands between two of them.
const MANY: usize = 3000;

/// A store with one person and `count` notes about them.
fn store_with_notes(count: usize) -> Store {
    let store = Store::new();
    store.cmd().args(["person", "add", "Joan Platt"]).assert().success();
    let file = many_notes(&store, "first", "Joan Platt", count);
    store.cmd().args(["note", "import"]).arg(&file).assert().success();
    store
}

#[test]
fn the_server_killed_during_a_push_then_restarted_loses_and_doubles_nothing() {
    let mut server = ServerProcess::start();
    let a = store_with_notes(MANY);
    let records = MANY as u64 + 1;

    let mut pushing = spawn_sync(&a, &["--server", &server.url, "--attempts", "3"]);
    wait_for_envelopes(&server.db, 200, &mut pushing);
    server.kill();
    let at_kill = envelopes_on_server(&server.db);
    assert!(at_kill < records, "the push finished before the server was killed");
    let (ok, stderr) = finish(pushing);
    assert!(!ok, "the sync should fail with the server gone");
    assert!(stderr.contains("could not reach the sync server"), "{stderr}");
    assert!(a.json(&["sync", "status"])["queued"].as_u64().unwrap() > 0);

    server.restart();
    let again = sync(&a, &[]);
    assert_eq!(again["status"]["queued"], 0, "{again}");
    assert_eq!(envelopes_on_server(&server.db), records, "every record once on the server");

    let (b, joined) = enrolled_device(&a, "second phone");
    assert_eq!(joined["pulled"].as_u64(), Some(records));
    assert_same_notes_once(&[&a, &b], MANY);
}

#[test]
fn a_client_killed_mid_push_and_mid_pull_syncs_every_note_once() {
    let server = Server::start();
    let a = store_with_notes(MANY);
    let records = MANY as u64 + 1;

    let mut pushing = spawn_sync(&a, &["--server", &server.url]);
    wait_for_envelopes(&server.db, 200, &mut pushing);
    pushing.kill().unwrap();
    pushing.wait().unwrap();
    assert!(envelopes_on_server(&server.db) < records, "the push finished before the kill");
    let again = sync(&a, &[]);
    assert_eq!(again["status"]["queued"], 0, "{again}");
    assert_eq!(envelopes_on_server(&server.db), records, "every record once on the server");

    // The second device killed while it pulls and applies.
    let enrolment = a.json(&["device", "enrol", "--name", "second phone"]);
    let code = enrolment["code"].as_str().unwrap();
    let b = crate::sync_support::second_device(&a);
    let mut pulling = spawn_sync(&b, &["--enrol", code]);
    wait_for_growth(&b.dir().join("doorstep.db-wal"), 1 << 20, &mut pulling);
    pulling.kill().unwrap();
    pulling.wait().unwrap();
    let joined = b.json(&["sync", "status"])["server"].is_string();
    let args: &[&str] = if joined { &[] } else { &["--enrol", code] };
    sync(&b, args);
    assert_same_notes_once(&[&a, &b], MANY);
    // Nothing more moves either way.
    for device in [&a, &b] {
        let settled = sync(device, &[]);
        assert_eq!((settled["pushed"].as_u64(), settled["applied"].as_u64()), (Some(0), Some(0)));
    }
}

#[test]
fn cut_and_stalled_connections_fail_clearly_keep_the_outbox_and_then_recover() {
    let server = Server::start();
    let proxy = Proxy::start(server.address());
    let a = store_with_notes(1);
    sync(&a, &["--server", &proxy.url]);
    let file = many_notes(&a, "second", "Joan Platt", 300);
    a.cmd().args(["note", "import"]).arg(&file).assert().success();
    let queued = |a: &Store| a.json(&["sync", "status"])["queued"].as_u64().unwrap();

    // Cut inside each request: nothing reaches the server.
    proxy.set(Mode::CutRequestAfter(4096));
    a.cmd()
        .args(["sync", "--attempts", "2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("could not reach the sync server"))
        .stderr(predicate::str::contains("queued records stay on this device"));
    assert_eq!(queued(&a), 300);
    assert_eq!(envelopes_on_server(&server.db), 2);

    // Cut inside each answer: the server stored the batch, the client never heard so.
    proxy.set(Mode::CutAnswerAfter(12));
    a.cmd().args(["sync", "--attempts", "2"]).assert().code(1);
    assert_eq!(queued(&a), 300, "an unacknowledged envelope stays queued");
    assert!(envelopes_on_server(&server.db) > 2);

    // Stalled: the client gives up after its timeout, says so, keeps everything.
    proxy.set(Mode::Stall);
    let started = Instant::now();
    a.cmd()
        .args(["sync", "--timeout", "1", "--attempts", "2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did not answer: the connection stalled for 1 s"))
        .stderr(predicate::str::contains("queued records stay on this device"));
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    assert_eq!(queued(&a), 300);

    proxy.set(Mode::Pass);
    let recovered = sync(&a, &[]);
    let sent = recovered["pushed"].as_u64().unwrap() + recovered["duplicates"].as_u64().unwrap();
    assert_eq!(sent, 300, "{recovered}");
    assert!(recovered["duplicates"].as_u64().unwrap() > 0, "the cut answers' batch came back");
    assert_eq!(recovered["status"]["queued"], 0);
    assert_eq!(envelopes_on_server(&server.db), 302, "every record once on the server");

    let (b, joined) = enrolled_device(&a, "second phone");
    assert_eq!(joined["pulled"].as_u64(), Some(302));
    assert_same_notes_once(&[&a, &b], 301);
}

/// Changes the server's stored envelopes behind its back, as a hostile or broken server would.
fn on_server_db(db: &Path, change: impl FnOnce(&rusqlite::Connection)) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    change(&conn);
}

fn flip_byte(conn: &rusqlite::Connection, column: &str, cursor: i64, index: usize) {
    let mut bytes: Vec<u8> = conn
        .query_row(&format!("SELECT {column} FROM envelopes WHERE cursor = ?1"), [cursor], |r| {
            r.get(0)
        })
        .unwrap();
    bytes[index] ^= 0x01;
    conn.execute(
        &format!("UPDATE envelopes SET {column} = ?1 WHERE cursor = ?2"),
        rusqlite::params![bytes, cursor],
    )
    .unwrap();
}

#[test]
fn tampered_and_replayed_envelopes_are_set_aside_without_blocking_later_ones() {
    let server = Server::start();
    let a = Store::new();
    a.cmd().args(["person", "add", "Joan Platt"]).assert().success();
    let texts = ["first visit", "second visit", "third visit", "fourth visit", "fifth visit"];
    let lines: Vec<String> = texts[..3]
        .iter()
        .enumerate()
        .map(|(i, t)| note_line(&format!("n{i}"), "Joan Platt", t))
        .collect();
    a.cmd().args(["note", "import"]).arg(write_lines(&a, "a.jsonl", &lines)).assert().success();
    sync(&a, &["--server", &server.url]);

    // Cursor 1 is the person, 2 to 4 the notes. The first note's ciphertext is altered, the
    // third note's wrapping key id is another key's, and the second note is replayed under a
    // new id (its ciphertext is bound to the old one).
    on_server_db(&server.db, |conn| {
        flip_byte(conn, "ciphertext", 2, 30);
        flip_byte(conn, "wrapped_key", 4, 1);
        conn.execute(
            "INSERT INTO envelopes (space, cursor, id, kind, author, hlc_wall_ms, hlc_counter,
                 hlc_device, wrapped_key, ciphertext, received_at)
             SELECT space, 5, ?1, kind, author, hlc_wall_ms, hlc_counter, hlc_device,
                 wrapped_key, ciphertext, received_at
             FROM envelopes WHERE cursor = 3",
            [Uuid::now_v7()],
        )
        .unwrap();
        conn.execute("UPDATE spaces SET last_cursor = 5", []).unwrap();
    });
    let lines: Vec<String> = texts[3..]
        .iter()
        .enumerate()
        .map(|(i, t)| note_line(&format!("m{i}"), "Joan Platt", t))
        .collect();
    a.cmd().args(["note", "import"]).arg(write_lines(&a, "b.jsonl", &lines)).assert().success();
    sync(&a, &[]);

    let (b, joined) = enrolled_device(&a, "second phone");
    let reasons: Vec<&str> = joined["set_aside"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 3, "{joined}");
    assert!(reasons[0].contains("failed authentication"), "{reasons:?}");
    assert!(reasons[1].contains("was sealed with sync key"), "{reasons:?}");
    assert!(reasons[2].contains("failed authentication"), "{reasons:?}");
    let received: Vec<String> =
        crate::sync_support::notes(&b).into_iter().map(|(_, t)| t).collect();
    let mut expected = vec!["second visit", "fourth visit", "fifth visit"];
    let mut got: Vec<&str> = received.iter().map(String::as_str).collect();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected, "the good notes, each once, and nothing from the bad envelopes");

    // Later envelopes keep arriving; the bad ones stay set aside and are reported, not again
    // as new.
    a.cmd()
        .args(["note", "add", "--subject", "Joan Platt", "--text", "sixth visit"])
        .assert()
        .success();
    sync(&a, &[]);
    let later = sync(&b, &[]);
    assert_eq!(
        (later["applied"].as_u64(), later["set_aside"].as_array().map(Vec::len)),
        (Some(1), Some(0))
    );
    assert_eq!(later["status"]["set_aside"], 3);
    b.cmd()
        .args(["sync", "status"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Set aside:     3 received envelope(s)"));
    assert_eq!(crate::sync_support::notes(&b).len(), 4);
}
