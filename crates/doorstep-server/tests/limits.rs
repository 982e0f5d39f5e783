//! Limits that are the app's, not the backend's: the per-device rate limit, the registration
//! limit per address, and the binary stopping cleanly on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test] fail by panicking too

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::TestServer;
use doorstep_server::{RateLimit, SqliteBackend};
use doorstep_wire::{DeviceToken, RegisterRequest};
use reqwest::StatusCode;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_over_its_rate_is_told_to_wait_and_others_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let backend = SqliteBackend::open(&dir.path().join("server.db")).unwrap();
    let server = TestServer::start(backend, RateLimit { burst: 3.0, per_second: 0.01 }).await;
    let anonymous = server.client(None);
    let mut tokens = Vec::new();
    for name in ["phone", "tablet"] {
        let register = RegisterRequest {
            space: Uuid::now_v7(),
            device: Uuid::now_v7(),
            device_name: name.into(),
        };
        let token: DeviceToken = anonymous.post("/v1/register", &register).await.json();
        tokens.push(token.token);
    }
    let phone = server.client(Some(&tokens[0]));
    for _ in 0..3 {
        assert_eq!(phone.get("/v1/envelopes").await.status, StatusCode::OK);
    }
    let reply = phone.get("/v1/envelopes").await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.code(), "rate_limited");
    let tablet = server.client(Some(&tokens[1]));
    assert_eq!(tablet.get("/v1/envelopes").await.status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_from_one_address_are_rate_limited_too() {
    let dir = tempfile::tempdir().unwrap();
    let backend = SqliteBackend::open(&dir.path().join("server.db")).unwrap();
    let server = TestServer::start(backend, RateLimit { burst: 3.0, per_second: 0.01 }).await;
    let anonymous = server.client(None);
    let register = || RegisterRequest {
        space: Uuid::now_v7(),
        device: Uuid::now_v7(),
        device_name: "phone".into(),
    };
    let first: DeviceToken = anonymous.post("/v1/register", &register()).await.json();
    for _ in 0..2 {
        assert_eq!(anonymous.post("/v1/register", &register()).await.status, StatusCode::CREATED);
    }
    let reply = anonymous.post("/v1/register", &register()).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.code(), "rate_limited");
    // Registered devices count in buckets of their own.
    let phone = server.client(Some(&first.token));
    assert_eq!(phone.get("/v1/envelopes").await.status, StatusCode::OK);
    server.stop().await;
}

#[test]
fn the_binary_serves_until_sigterm_then_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("server.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_doorstep-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db", &db])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The "serving" line names the bound address: read until it comes, no sleeping.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let listen = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.contains("serving")
                .then(|| line.split("listen=").nth(1)?.split_whitespace().next().map(str::to_owned))
                .flatten()
        })
        .expect("the server says where it listens");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = runtime.block_on(async {
        reqwest::get(format!("http://{listen}/health")).await.unwrap().status()
    });
    assert_eq!(status, StatusCode::OK);

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit after SIGTERM: {exit}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("SIGTERM")), "{rest:?}");
}
