//! A voice note's audio travels after its text, in pieces, and resumes where it stopped: a
//! recording made from a clip of the evaluation corpus is pushed over a slow loopback proxy,
//! the client is killed with SIGKILL mid-audio, the other device already has the note and part
//! of the audio, and the next syncs send only what the server lacks and rebuild the same audio
//! on the other device. The server never holds the audio in the clear.

use std::path::Path;

use serde_json::Value;

use crate::common::contains;
use crate::speech::{audio, ingest, samples, store_with_subject};
use crate::sync_proxy::{Mode, Proxy};
use crate::sync_support::{
    Server, enrolled_device, envelopes_on_server, finish, spawn_sync, sync, wait_for_envelopes,
};

/// Kinds of the envelopes on the server, in the order it stored them.
fn kinds_on_server(db: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    let mut stmt = conn.prepare("SELECT kind FROM envelopes ORDER BY cursor").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

fn status(store: &crate::common::Store) -> Value {
    store.json(&["sync", "status"])
}

#[test]
fn audio_follows_the_text_in_pieces_and_resumes_after_the_client_is_killed() {
    let server = Server::start();
    let proxy = Proxy::start(server.address());
    let a = store_with_subject();
    let clip = audio("a01.wav");
    let note = ingest(&a, &clip)["note"].as_str().unwrap().to_owned();
    let recordings = a.json(&["record", "list"]);
    let recording = recordings[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(recordings[0]["note"], note.as_str());
    let before = status(&a);
    assert_eq!(before["unqueued"], 3, "the person, the note and its recording: {before:#}");

    // Over a slow connection, A is killed once the text and the first piece of audio are on
    // the server.
    proxy.set(Mode::Slow(200_000));
    let mut child = spawn_sync(&a, &["--server", &proxy.url]);
    wait_for_envelopes(&server.db, 3, &mut child);
    child.kill().unwrap();
    let (ok, _) = finish(child);
    assert!(!ok, "the sync finished before it was killed");
    let kinds = kinds_on_server(&server.db);
    assert_eq!(kinds[..2], ["person", "note"], "text goes first: {kinds:?}");
    assert!(kinds[2..].iter().all(|k| k == "audio"), "{kinds:?}");
    let waiting = status(&a);
    let pieces_left = waiting["queued_audio"].as_u64().unwrap();
    assert!(pieces_left >= 1, "{waiting:#}");
    assert_eq!(waiting["queued"], pieces_left, "only audio waits: {waiting:#}");
    assert_eq!(waiting["unqueued"], 0);
    assert_eq!(waiting["safe_to_close"], false);

    // The other device has the note at once, and knows its audio is on the way.
    proxy.set(Mode::Pass);
    let (b, _) = enrolled_device(&a, "tablet");
    let on_b = b.json(&["note", "show", &note]);
    assert!(!on_b["text"].as_str().unwrap().is_empty());
    let incoming = &status(&b)["incoming_audio"];
    assert_eq!(incoming[0]["recording"], recording.as_str(), "{incoming:#}");
    let (received, pieces) =
        (incoming[0]["received"].as_u64().unwrap(), incoming[0]["pieces"].as_u64().unwrap());
    assert!(received >= 1 && received < pieces, "{incoming:#}");

    // A resumes: only the pieces the server lacks are sent (one may have landed unacknowledged).
    let resumed = sync(&a, &[]);
    let sent = resumed["pushed"].as_u64().unwrap() + resumed["duplicates"].as_u64().unwrap();
    assert_eq!(sent, pieces_left, "{resumed:#}");
    assert_eq!(resumed["audio_queued"], 0, "nothing was sealed twice");
    assert_eq!(resumed["status"]["safe_to_close"], true);
    assert_eq!(envelopes_on_server(&server.db), 2 + pieces);

    let done = sync(&b, &[]);
    assert_eq!(done["recordings_received"], 1, "{done:#}");
    assert_eq!(done["status"]["incoming_audio"], serde_json::json!([]));
    let on_b = b.json(&["record", "list"]);
    assert_eq!(on_b[0]["id"], recording.as_str());
    assert_eq!(on_b[0]["note"], note.as_str());
    assert_eq!(on_b[0]["state"], "finished");
    let again = sync(&b, &[]);
    assert_eq!(again["pushed"], 0, "B echoed the recording back: {again:#}");

    // The same audio on both devices, and never in the clear on the server.
    let dir = tempfile::tempdir().unwrap();
    let (wav_a, wav_b) = (dir.path().join("a.wav"), dir.path().join("b.wav"));
    a.cmd().args(["record", "export", &recording, "--wav"]).arg(&wav_a).assert().success();
    b.cmd().args(["record", "export", &recording, "--wav"]).arg(&wav_b).assert().success();
    let heard = samples(&wav_b);
    assert_eq!(heard, samples(&wav_a));
    assert_eq!(heard.len(), samples(&clip).len());
    let middle = heard.len() / 2;
    let pcm: Vec<u8> = heard[middle..middle + 64].iter().flat_map(|s| s.to_le_bytes()).collect();
    assert!(!contains(&server.database_bytes(), &pcm), "the server holds audio in the clear");
    let refused = b.cmd().args(["record", "export", &recording, "--wav"]).arg(&wav_b).assert();
    let stderr = String::from_utf8_lossy(&refused.failure().get_output().stderr).into_owned();
    assert!(stderr.contains("must not exist yet"), "{stderr}");

    // Approved on A, whose retention deletes audio on approval; B, set the same way, deletes
    // its copy when the approval arrives.
    a.cmd().args(["note", "approve", &note]).assert().success();
    assert_eq!(a.json(&["record", "list"])[0]["state"], "deleted");
    sync(&a, &[]);
    sync(&b, &[]);
    assert_eq!(b.json(&["record", "list"])[0]["state"], "deleted");
    let gone = b
        .cmd()
        .args(["record", "export", &recording, "--wav"])
        .arg(dir.path().join("c.wav"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&gone.get_output().stderr).into_owned();
    assert!(stderr.contains("deleted under the retention setting"), "{stderr}");
}
