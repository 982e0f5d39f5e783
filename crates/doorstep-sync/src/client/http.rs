//! The server's HTTP API as typed calls, each retried with backoff when the connection fails,
//! stalls or the server says it is busy (5xx, 429), and refused at once when retrying cannot
//! help (a bad token, a revoked device, a malformed request).

use std::time::Duration;

use doorstep_core::store::SyncToken;
use doorstep_wire::{
    ApiError, DeviceList, DeviceToken, EnrolRequest, MAX_PULL, PullResponse, PushResponse,
    RegisterRequest,
};
use reqwest::{Method, StatusCode, header};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::error::SyncError;
use super::retry::Retry;

/// The longest a 429's `Retry-After` is obeyed for; past that the server is treated as down.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// The longest a connection may take to open, whatever [`Retry::timeout`] allows between reads.
const MAX_CONNECT: Duration = Duration::from_secs(10);
/// One try's whole time, as a multiple of [`Retry::timeout`]: a backstop for a connection that
/// trickles (or stops taking the request body) without ever going silent for a whole timeout.
const WHOLE_TRY: u32 = 10;

/// One sync server, at one base address.
#[derive(Debug)]
pub struct Server {
    http: reqwest::Client,
    base: String,
    retry: Retry,
    jitter: fastrand::Rng,
}

/// A request body, encoded once and sent again on each retry.
struct Call<'a> {
    what: &'static str,
    method: Method,
    path: String,
    token: Option<&'a SyncToken>,
    body: Option<Vec<u8>>,
}

impl Server {
    pub fn new(base: &str, retry: Retry) -> Result<Self, SyncError> {
        let base = base.trim().trim_end_matches('/');
        let scheme_ok = base.starts_with("http://") || base.starts_with("https://");
        if !scheme_ok || base.contains(char::is_whitespace) {
            return Err(SyncError::BadUrl { url: base.to_owned() });
        }
        let http = reqwest::Client::builder()
            .connect_timeout(retry.timeout.min(MAX_CONNECT))
            .read_timeout(retry.timeout)
            .timeout(retry.timeout.saturating_mul(WHOLE_TRY))
            .build()
            .map_err(SyncError::Client)?;
        Ok(Self { http, base: base.to_owned(), retry, jitter: fastrand::Rng::new() })
    }

    /// The address as given, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.base
    }

    pub async fn register(&mut self, request: &RegisterRequest) -> Result<DeviceToken, SyncError> {
        let body = encode(request)?;
        self.call(Call {
            what: "registering this device",
            method: Method::POST,
            path: "/v1/register".into(),
            token: None,
            body: Some(body),
        })
        .await
    }

    pub async fn enrol(
        &mut self,
        token: &SyncToken,
        request: &EnrolRequest,
    ) -> Result<DeviceToken, SyncError> {
        let body = encode(request)?;
        self.call(Call {
            what: "enrolling a device",
            method: Method::POST,
            path: "/v1/devices".into(),
            token: Some(token),
            body: Some(body),
        })
        .await
    }

    /// Sends `body`, a [`PushRequest`] already encoded (the caller sizes batches by bytes).
    pub async fn push(
        &mut self,
        token: &SyncToken,
        body: Vec<u8>,
    ) -> Result<PushResponse, SyncError> {
        self.call(Call {
            what: "a push",
            method: Method::POST,
            path: "/v1/envelopes".into(),
            token: Some(token),
            body: Some(body),
        })
        .await
    }

    /// The space's devices, revoked ones included.
    pub async fn devices(&mut self, token: &SyncToken) -> Result<DeviceList, SyncError> {
        self.call(Call {
            what: "listing devices",
            method: Method::GET,
            path: "/v1/devices".into(),
            token: Some(token),
            body: None,
        })
        .await
    }

    /// Revokes a device of the space: its token is refused from then on.
    pub async fn revoke(&mut self, token: &SyncToken, device: Uuid) -> Result<(), SyncError> {
        self.call_for_bytes(Call {
            what: "revoking a device",
            method: Method::POST,
            path: format!("/v1/devices/{device}/revoke"),
            token: Some(token),
            body: None,
        })
        .await
        .map(drop)
    }

    pub async fn pull(&mut self, token: &SyncToken, after: u64) -> Result<PullResponse, SyncError> {
        self.call(Call {
            what: "a pull",
            method: Method::GET,
            path: format!("/v1/envelopes?after={after}&limit={MAX_PULL}"),
            token: Some(token),
            body: None,
        })
        .await
    }

    async fn call<T: DeserializeOwned>(&mut self, call: Call<'_>) -> Result<T, SyncError> {
        let what = call.what;
        let bytes = self.call_for_bytes(call).await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| SyncError::BadReply { what, detail: e.to_string() })
    }

    /// The body of the call's successful answer, after any retries.
    async fn call_for_bytes(&mut self, call: Call<'_>) -> Result<Vec<u8>, SyncError> {
        let url = format!("{}{}", self.base, call.path);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self.http.request(call.method.clone(), &url);
            if let Some(token) = call.token {
                request = request.bearer_auth(token.expose());
            }
            if let Some(body) = &call.body {
                request =
                    request.header(header::CONTENT_TYPE, "application/json").body(body.clone());
            }
            let mut wait = self.retry.delay(attempt, &mut self.jitter);
            match send(request).await {
                Err(source) => {
                    if attempt >= self.retry.attempts {
                        return Err(self.unreachable(attempt, source));
                    }
                }
                Ok((status, _, bytes)) if status.is_success() => return Ok(bytes),
                Ok((status, retry_after, bytes)) => {
                    let error = api_error(status, &bytes);
                    let busy = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
                    if status == StatusCode::FORBIDDEN && error.code == "revoked" {
                        return Err(SyncError::Revoked { url: self.base.clone() });
                    }
                    if !busy {
                        return Err(SyncError::Refused {
                            what: call.what,
                            status: status.as_u16(),
                            error,
                        });
                    }
                    if attempt >= self.retry.attempts {
                        return Err(SyncError::Unavailable {
                            url: self.base.clone(),
                            status: status.as_u16(),
                            attempts: attempt,
                            message: error.message,
                        });
                    }
                    if let Some(after) = retry_after {
                        wait = wait.max(after.min(MAX_RETRY_AFTER));
                    }
                }
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// The error for a connection that failed on its last try: a stall is told apart from a
    /// server that could not be reached at all.
    fn unreachable(&self, attempts: u32, source: reqwest::Error) -> SyncError {
        let url = self.base.clone();
        if source.is_timeout() {
            SyncError::TimedOut { url, attempts, secs: self.retry.timeout.as_secs_f64() }
        } else {
            SyncError::Unreachable { url, attempts, source }
        }
    }
}

/// Status, `Retry-After` in seconds if given, and the whole body. A body cut off mid-way counts
/// as a failed connection, like one that never connected.
async fn send(
    request: reqwest::RequestBuilder,
) -> Result<(StatusCode, Option<Duration>, Vec<u8>), reqwest::Error> {
    let response = request.send().await?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let bytes = response.bytes().await?;
    Ok((status, retry_after, bytes.to_vec()))
}

/// The server's error body, or one made from the status when the body is not ours (a proxy).
fn api_error(status: StatusCode, body: &[u8]) -> ApiError {
    serde_json::from_slice(body).unwrap_or_else(|_| ApiError {
        code: format!("http_{}", status.as_u16()),
        message: status.canonical_reason().unwrap_or("no reason given").to_owned(),
    })
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, SyncError> {
    serde_json::to_vec(value)
        .map_err(|e| SyncError::BadReply { what: "encoding a request", detail: e.to_string() })
}

/// Encodes a push of `envelopes`, each already wire JSON, without decoding them again.
pub(super) fn push_body(envelopes: &[&str]) -> Vec<u8> {
    let mut body = Vec::with_capacity(envelopes.iter().map(|e| e.len() + 1).sum::<usize>() + 16);
    body.extend_from_slice(b"{\"envelopes\":[");
    for (i, envelope) in envelopes.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(envelope.as_bytes());
    }
    body.extend_from_slice(b"]}");
    body
}

/// The bytes of a push holding nothing: what every batch adds to its envelopes.
pub(super) const PUSH_OVERHEAD: usize = 16;

#[cfg(test)]
mod tests {
    use doorstep_wire::PushRequest;

    use super::*;

    #[test]
    fn a_push_body_is_a_push_request() {
        let envelope = r#"{"id":"0190f0f0-0000-7000-8000-000000000001","kind":"note","author":"0190f0f0-0000-7000-8000-000000000002","hlc":{"wall_ms":1,"counter":0,"device":"0190f0f0-0000-7000-8000-000000000002"},"wrapped_key":"AA==","ciphertext":"AQ=="}"#;
        let body = push_body(&[envelope, envelope]);
        let request: PushRequest = serde_json::from_slice(&body).unwrap();
        assert_eq!(request.envelopes.len(), 2);
        assert!(push_body(&[]).len() <= PUSH_OVERHEAD);
    }

    #[test]
    fn only_http_addresses_are_servers() {
        assert!(Server::new("http://127.0.0.1:1/", Retry::default()).is_ok());
        assert!(Server::new("ftp://example.org", Retry::default()).is_err());
        assert!(Server::new("example.org", Retry::default()).is_err());
    }
}
