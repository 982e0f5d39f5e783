//! One story of a space's life over a real server on loopback, written once over the storage
//! backend: every backend runs exactly the same requests and checks, SQLite in a temporary
//! directory and PostgreSQL in a database of its own (skipped, saying so, when no server is
//! named; scripts/test.sh always names one).

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test] fail by panicking too

mod common;

use common::postgres::TestDatabase;
use common::{Reply, TestServer, UNLIMITED, envelope};
use doorstep_server::{Backend, PostgresBackend, SqliteBackend};
use doorstep_wire::{
    DeviceList, DeviceToken, EnrolRequest, Envelope, MAX_BODY_BYTES, MAX_PULL_BYTES, PullResponse,
    PushRequest, PushResponse, RegisterRequest,
};
use reqwest::StatusCode;
use uuid::Uuid;

fn push_body(envelopes: &[Envelope]) -> PushRequest {
    PushRequest { envelopes: envelopes.to_vec() }
}

fn assert_refused(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", String::from_utf8_lossy(&reply.body));
    assert_eq!(reply.code(), code);
}

/// A practitioner's phone opens a space and enrols a tablet; the phone pushes, the tablet pulls
/// in pages; retries, forgeries, oversize and malformed bodies change nothing; the tablet is
/// revoked and shut out.
async fn story<B: Backend>(backend: B) {
    let server = TestServer::start(backend, UNLIMITED).await;
    let anonymous = server.client(None);
    assert_eq!(anonymous.get("/health").await.status, StatusCode::OK);

    // The phone (A) registers the space.
    let (space, a, b) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let register = RegisterRequest { space, device: a, device_name: "phone".to_owned() };
    let reply = anonymous.post("/v1/register", &register).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let token_a: DeviceToken = reply.json();
    assert_eq!(token_a.device, a);
    assert_refused(
        &anonymous.post("/v1/register", &register).await,
        StatusCode::CONFLICT,
        "conflict",
    );
    let phone = server.client(Some(&token_a.token));

    // No token, or a wrong one, opens nothing.
    assert_refused(&anonymous.get("/v1/devices").await, StatusCode::UNAUTHORIZED, "unauthorised");
    let forger = server.client(Some(&"0".repeat(64)));
    assert_refused(&forger.get("/v1/envelopes").await, StatusCode::UNAUTHORIZED, "unauthorised");

    // The phone enrols the tablet (B), once.
    let enrol = EnrolRequest { device: b, device_name: "tablet".to_owned() };
    let reply = phone.post("/v1/devices", &enrol).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let token_b: DeviceToken = reply.json();
    assert_ne!(token_b.token, token_a.token);
    assert_refused(&phone.post("/v1/devices", &enrol).await, StatusCode::CONFLICT, "conflict");
    let tablet = server.client(Some(&token_b.token));
    let list: DeviceList = tablet.get("/v1/devices").await.json();
    let names: Vec<_> =
        list.devices.iter().map(|d| (d.device, d.name.as_str(), d.revoked)).collect();
    assert_eq!(names, [(a, "phone", false), (b, "tablet", false)]);

    // The phone pushes three envelopes.
    let sent: Vec<Envelope> = (1..=3).map(|n| envelope(a, n)).collect();
    let reply = phone.post("/v1/envelopes", &push_body(&sent)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let outcome: PushResponse = reply.json();
    assert_eq!(outcome.stored, sent.iter().map(|e| e.id).collect::<Vec<_>>());
    assert!(outcome.duplicates.is_empty());

    // A retried push of one of them, even with other bytes, is a duplicate and overwrites nothing.
    let mut retry = sent[1].clone();
    retry.ciphertext.0.reverse();
    retry.kind = "person".to_owned();
    let outcome: PushResponse = phone.post("/v1/envelopes", &push_body(&[retry])).await.json();
    assert!(outcome.stored.is_empty());
    assert_eq!(outcome.duplicates, [sent[1].id]);

    // An envelope claiming the phone as author, pushed by the tablet, is refused with the whole
    // batch it came in.
    let own = envelope(b, 9);
    let forged = envelope(a, 10);
    let reply = tablet.post("/v1/envelopes", &push_body(&[own.clone(), forged])).await;
    assert_refused(&reply, StatusCode::FORBIDDEN, "forbidden");

    // Oversize and malformed bodies are refused as JSON errors.
    let oversize = vec![b' '; MAX_BODY_BYTES + 1];
    assert_refused(
        &phone.post_raw("/v1/envelopes", oversize).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    );
    let reply = phone.post_raw("/v1/envelopes", b"{\"envelopes\": [".to_vec()).await;
    assert_refused(&reply, StatusCode::BAD_REQUEST, "malformed");
    let reply = phone.post_raw("/v1/envelopes", br#"{"envelopes": [{"id": 1}]}"#.to_vec()).await;
    assert_refused(&reply, StatusCode::BAD_REQUEST, "malformed");
    let mut bad_kind = envelope(a, 11);
    bad_kind.kind = String::new();
    let reply = phone.post("/v1/envelopes", &push_body(&[bad_kind])).await;
    assert_refused(&reply, StatusCode::BAD_REQUEST, "malformed");
    assert_refused(
        &phone.get("/v1/envelopes?after=soon").await,
        StatusCode::BAD_REQUEST,
        "malformed",
    );
    assert_refused(&phone.get("/v1/nowhere").await, StatusCode::NOT_FOUND, "not_found");

    // The tablet pulls two at a time and gets each envelope exactly once, in order, with the
    // bytes first pushed.
    let mut pulled = Vec::new();
    let mut cursor = 0;
    let mut pages = 0;
    loop {
        let page: PullResponse =
            tablet.get(&format!("/v1/envelopes?after={cursor}&limit=2")).await.json();
        assert!(page.envelopes.len() <= 2);
        pages += 1;
        pulled.extend(page.envelopes.iter().map(|s| (s.cursor, s.envelope.clone())));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(pulled.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>(), sent);
    assert!(pulled.windows(2).all(|w| w[0].0 < w[1].0), "cursors grow");
    // Nothing new after the last cursor: the same cursor comes back.
    let page: PullResponse = tablet.get(&format!("/v1/envelopes?after={cursor}")).await.json();
    assert!(page.envelopes.is_empty() && !page.more);
    assert_eq!(page.cursor, cursor);

    // The tablet's own envelope goes through once the forgery is left out.
    let outcome: PushResponse =
        tablet.post("/v1/envelopes", &push_body(std::slice::from_ref(&own))).await.json();
    assert_eq!(outcome.stored, [own.id]);
    let page: PullResponse = phone.get(&format!("/v1/envelopes?after={cursor}")).await.json();
    assert_eq!(page.envelopes.len(), 1);
    assert_eq!(page.envelopes[0].envelope, own);

    // The phone revokes the tablet: the tablet can neither push, pull nor list.
    let reply = phone.post_raw(&format!("/v1/devices/{b}/revoke"), Vec::new()).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_refused(&tablet.get("/v1/envelopes").await, StatusCode::FORBIDDEN, "revoked");
    let reply = tablet.post("/v1/envelopes", &push_body(&[envelope(b, 12)])).await;
    assert_refused(&reply, StatusCode::FORBIDDEN, "revoked");
    assert_refused(&tablet.get("/v1/devices").await, StatusCode::FORBIDDEN, "revoked");
    let list: DeviceList = phone.get("/v1/devices").await.json();
    assert_eq!(list.devices.iter().map(|d| d.revoked).collect::<Vec<_>>(), [false, true]);
    let reply = phone.post_raw(&format!("/v1/devices/{}/revoke", Uuid::now_v7()), Vec::new()).await;
    assert_refused(&reply, StatusCode::NOT_FOUND, "not_found");
    let page: PullResponse = phone.get("/v1/envelopes").await.json();
    assert_eq!(page.envelopes.len(), 4, "the revoked push stored nothing");
    let seen = page.cursor;

    // Five large pieces of audio, pushed one by one, come back a few megabytes a page, each
    // exactly once.
    let pieces: Vec<Envelope> = (20..25)
        .map(|n| {
            let mut piece = envelope(a, n);
            piece.kind = "audio".to_owned();
            piece.ciphertext.0 = vec![n; 1_500_000];
            piece
        })
        .collect();
    for piece in &pieces {
        let reply = phone.post("/v1/envelopes", &push_body(std::slice::from_ref(piece))).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let (mut cursor, mut pulled, mut sizes) = (seen, Vec::new(), Vec::new());
    loop {
        let page: PullResponse = phone.get(&format!("/v1/envelopes?after={cursor}")).await.json();
        sizes.push(page.envelopes.len());
        pulled.extend(page.envelopes.into_iter().map(|s| s.envelope));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(sizes, [2, 2, 1], "pages of at most {MAX_PULL_BYTES} bytes");
    assert_eq!(pulled, pieces);

    // Another space sees none of it.
    let other =
        RegisterRequest { space: Uuid::now_v7(), device: Uuid::now_v7(), device_name: "x".into() };
    let token: DeviceToken = anonymous.post("/v1/register", &other).await.json();
    let stranger = server.client(Some(&token.token));
    let page: PullResponse = stranger.get("/v1/envelopes").await.json();
    assert!(page.envelopes.is_empty());
    let reply = stranger.post_raw(&format!("/v1/devices/{a}/revoke"), Vec::new()).await;
    assert_refused(&reply, StatusCode::NOT_FOUND, "not_found");

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let backend = SqliteBackend::open(&dir.path().join("server.db")).unwrap();
    story(backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn story_on_postgres() {
    let Some(db) = TestDatabase::create("story_on_postgres").await else { return };
    let backend = PostgresBackend::connect(db.config.clone()).await.unwrap();
    story(backend).await;
}
