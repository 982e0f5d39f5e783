//! One structured log event per request: method, path, status, time taken and, once known, the
//! device. Never the query string, headers or body: envelopes, tokens and names stay out of
//! the logs.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

/// Set on a response by the authentication layer, for this log to name the device.
#[derive(Debug, Clone, Copy)]
pub(super) struct LoggedDevice(pub Uuid);

pub(super) async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let device = response.extensions().get::<LoggedDevice>().map(|d| d.0);
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    match device {
        Some(device) => {
            tracing::info!(%method, path, status, %device, elapsed_ms, "request");
        }
        None => tracing::info!(%method, path, status, elapsed_ms, "request"),
    }
    response
}
