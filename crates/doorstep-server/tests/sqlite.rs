//! What only the SQLite backend can show: the file holds exactly the bytes devices pushed (the
//! server never decodes them), it survives a restart, and its schema is versioned and guarded.

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test] fail by panicking too

mod common;

use std::path::Path;

use common::{TestServer, UNLIMITED, envelope};
use doorstep_server::SqliteBackend;
use doorstep_server::store::sqlite::{CURRENT_VERSION, OpenError};
use doorstep_wire::{DeviceToken, PullResponse, PushRequest, PushResponse, RegisterRequest};
use rusqlite::Connection;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_file_holds_the_pushed_bytes_exactly_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    let server = TestServer::start(SqliteBackend::open(&path).unwrap(), UNLIMITED).await;
    let (space, a) = (Uuid::now_v7(), Uuid::now_v7());
    let register = RegisterRequest { space, device: a, device_name: "phone".into() };
    let token: DeviceToken = server.client(None).post("/v1/register", &register).await.json();
    let phone = server.client(Some(&token.token));
    let sent = [envelope(a, 1), envelope(a, 2)];
    let push = PushRequest { envelopes: sent.to_vec() };
    let outcome: PushResponse = phone.post("/v1/envelopes", &push).await.json();
    assert_eq!(outcome.stored.len(), 2);
    server.stop().await;

    {
        let conn = Connection::open(&path).unwrap();
        for envelope in &sent {
            let (wrapped_key, ciphertext): (Vec<u8>, Vec<u8>) = conn
                .query_row(
                    "SELECT wrapped_key, ciphertext FROM envelopes WHERE id = ?1",
                    [envelope.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(wrapped_key, envelope.wrapped_key.0);
            assert_eq!(ciphertext, envelope.ciphertext.0);
        }
        let token_hashes: i64 = conn
            .query_row(
                "SELECT count(*) FROM devices WHERE token_hash = ?1",
                [token.token.as_bytes()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(token_hashes, 0, "the token itself is never stored");
    }

    // A restarted server knows the device and carries on the space's cursors.
    let server = TestServer::start(SqliteBackend::open(&path).unwrap(), UNLIMITED).await;
    let phone = server.client(Some(&token.token));
    let page: PullResponse = phone.get("/v1/envelopes").await.json();
    assert_eq!(page.envelopes.iter().map(|s| s.envelope.clone()).collect::<Vec<_>>(), sent);
    let third = envelope(a, 3);
    let push = PushRequest { envelopes: vec![third.clone()] };
    let _: PushResponse = phone.post("/v1/envelopes", &push).await.json();
    let next: PullResponse =
        phone.get(&format!("/v1/envelopes?after={}", page.cursor)).await.json();
    assert_eq!(next.envelopes.len(), 1);
    assert_eq!(next.envelopes[0].envelope, third);
    assert!(next.envelopes[0].cursor > page.cursor);
    server.stop().await;
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}

#[test]
fn the_schema_is_versioned_in_wal_mode_and_foreign_or_newer_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    drop(SqliteBackend::open(&path).unwrap());
    assert_eq!(user_version(&path), CURRENT_VERSION);
    let mode: String = Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // Opening again is a no-op.
    drop(SqliteBackend::open(&path).unwrap());

    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", CURRENT_VERSION + 1).unwrap();
    drop(conn);
    assert!(matches!(
        SqliteBackend::open(&path),
        Err(OpenError::NewerSchema { found, .. }) if found == CURRENT_VERSION + 1
    ));
    assert_eq!(user_version(&path), CURRENT_VERSION + 1);

    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    assert!(matches!(SqliteBackend::open(&foreign), Err(OpenError::NotOurs { .. })));
    assert_eq!(user_version(&foreign), 0);
}
