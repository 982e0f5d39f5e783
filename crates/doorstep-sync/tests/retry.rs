//! The client's retries against a scripted server on loopback: a busy server (503, 429) is
//! tried again with backoff until it answers, up to the bound; a refusal is not retried; a
//! server that never answers times out on each try.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use doorstep_sync::client::{Retry, Server, SyncError};
use doorstep_wire::RegisterRequest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use uuid::Uuid;

const FAST: Retry = Retry {
    attempts: 4,
    base: Duration::from_millis(2),
    cap: Duration::from_millis(10),
    timeout: Duration::from_secs(10),
};

/// A server answering each connection with the next status of `script` (the last repeats);
/// returns its address and a count of requests seen.
async fn scripted(script: &'static [u16]) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let status = script[n.min(script.len() - 1)];
            let mut request = vec![0u8; 16 * 1024];
            let _ = socket.read(&mut request).await.unwrap();
            let body = if status == 201 {
                format!(r#"{{"device":"{}","token":"t0ken"}}"#, Uuid::nil())
            } else {
                r#"{"code":"unavailable","message":"busy"}"#.to_owned()
            };
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(reply.as_bytes()).await.unwrap();
            let _ = socket.shutdown().await;
        }
    });
    (base, seen)
}

fn request() -> RegisterRequest {
    RegisterRequest { space: Uuid::now_v7(), device: Uuid::now_v7(), device_name: "test".into() }
}

#[tokio::test]
async fn a_busy_server_is_retried_until_it_answers() {
    let (base, seen) = scripted(&[503, 429, 201]).await;
    let mut server = Server::new(&base, FAST).unwrap();
    let token = server.register(&request()).await.unwrap();
    assert_eq!(token.token, "t0ken");
    assert_eq!(seen.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retries_are_bounded_and_a_refusal_is_not_retried() {
    let (base, seen) = scripted(&[503]).await;
    let err = Server::new(&base, FAST).unwrap().register(&request()).await.unwrap_err();
    assert!(matches!(err, SyncError::Unavailable { status: 503, attempts: 4, .. }), "{err}");
    assert_eq!(seen.load(Ordering::SeqCst), 4);

    let (base, seen) = scripted(&[401]).await;
    let err = Server::new(&base, FAST).unwrap().register(&request()).await.unwrap_err();
    assert!(matches!(err, SyncError::Refused { status: 401, .. }), "{err}");
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_stalled_server_times_out_after_each_try_and_says_so() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            // Accepts and reads, never answers; keeps the socket open.
            let (mut socket, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            let mut request = vec![0u8; 16 * 1024];
            let _ = socket.read(&mut request).await;
            held.push(socket);
        }
    });
    let retry = Retry { attempts: 2, timeout: Duration::from_millis(200), ..FAST };
    let err = Server::new(&base, retry).unwrap().register(&request()).await.unwrap_err();
    assert!(matches!(err, SyncError::TimedOut { attempts: 2, .. }), "{err}");
    assert!(err.to_string().contains("stalled for 0.2 s"), "{err}");
    assert_eq!(seen.load(Ordering::SeqCst), 2);
}
