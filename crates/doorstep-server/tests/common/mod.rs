//! A real server on loopback for the integration tests, and a small client that sends JSON and
//! reads status and body raw, so refusals can be checked byte for byte.

#![allow(dead_code)] // each test file uses its own part of this module

pub mod postgres;

use doorstep_server::{AppState, Backend, RateLimit, serve};
use doorstep_wire::{ApiError, Bytes, Envelope, Hlc};
use reqwest::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// A limit no test reaches unless it means to.
pub const UNLIMITED: RateLimit = RateLimit { burst: 1e9, per_second: 1e9 };

/// A server on `127.0.0.1:0`, stopped by [`TestServer::stop`]. The listener is bound before the
/// server task starts, so requests made at once queue instead of failing: no sleeping.
pub struct TestServer {
    pub base: String,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    pub async fn start<B: Backend>(backend: B, rate: RateLimit) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, AppState::new(backend, rate), async {
            let _ = stop.await;
        }));
        Self { base, shutdown, task }
    }

    pub fn client(&self, token: Option<&str>) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: self.base.clone(),
            token: token.map(str::to_owned),
        }
    }

    /// Signals shutdown and waits for the server to finish cleanly.
    pub async fn stop(self) {
        self.shutdown.send(()).unwrap();
        self.task.await.unwrap().unwrap();
    }
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("{}: {e}: {}", self.status, String::from_utf8_lossy(&self.body))
        })
    }

    /// The refusal's code, checking the body is an `ApiError`.
    pub fn code(&self) -> String {
        self.json::<ApiError>().code
    }
}

impl Client {
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Vec<u8>>) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let body = response.bytes().await.unwrap().to_vec();
        Reply { status, body }
    }

    pub async fn post<T: Serialize>(&self, path: &str, body: &T) -> Reply {
        self.send(reqwest::Method::POST, path, Some(serde_json::to_vec(body).unwrap())).await
    }

    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> Reply {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, None).await
    }
}

/// An envelope of `author` whose "ciphertext" holds every byte value (not valid UTF-8, not
/// JSON), tagged with `n` so each is different.
pub fn envelope(author: Uuid, n: u8) -> Envelope {
    let mut ciphertext: Vec<u8> = (0..=255u8).collect();
    ciphertext.extend_from_slice(&[n, 0xff, 0x00, n]);
    Envelope {
        id: Uuid::now_v7(),
        kind: "note".to_owned(),
        author,
        hlc: Hlc { wall_ms: 1_700_000_000_000 + u64::from(n), counter: 0, device: author },
        wrapped_key: Bytes(vec![n; 72]),
        ciphertext: Bytes(ciphertext),
    }
}
