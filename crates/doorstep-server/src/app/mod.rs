//! The HTTP API, generic over the storage backend: routes, the state they share, and the layers
//! every request passes (logging, body limit, bearer authentication, per-device rate limit, and
//! for registration a rate limit per peer address). Each refusal is an `ApiError` JSON body
//! with a stable code, never axum's default text.

mod auth;
mod error;
mod extract;
mod handlers;
mod log;
mod rate;

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Router, middleware};
use doorstep_wire::MAX_BODY_BYTES;
use uuid::Uuid;

pub use error::HttpError;
pub use rate::RateLimit;

use crate::store::Backend;
use rate::RateLimiter;

/// What every handler shares: the backend and the rate limiters' buckets.
#[derive(Debug, Clone)]
pub struct AppState<B> {
    backend: B,
    limiter: Arc<RateLimiter<Uuid>>,
    registrations: Arc<RateLimiter<IpAddr>>,
}

impl<B: Backend> AppState<B> {
    /// `rate` limits each device, and registrations from each peer address.
    pub fn new(backend: B, rate: RateLimit) -> Self {
        Self {
            backend,
            limiter: Arc::new(RateLimiter::new(rate)),
            registrations: Arc::new(RateLimiter::new(rate)),
        }
    }
}

/// Every route of the API over `state`.
pub fn router<B: Backend>(state: AppState<B>) -> Router {
    let device_routes = Router::new()
        .route("/v1/devices", post(handlers::enrol::<B>).get(handlers::list_devices::<B>))
        .route("/v1/devices/{id}/revoke", post(handlers::revoke::<B>))
        .route("/v1/envelopes", post(handlers::push::<B>).get(handlers::pull::<B>))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_device::<B>));
    Router::new()
        .route("/health", get(handlers::health::<B>))
        .route(
            "/v1/register",
            post(handlers::register::<B>).route_layer(middleware::from_fn_with_state(
                state.clone(),
                auth::limit_registrations::<B>,
            )),
        )
        .merge(device_routes)
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(log::log_request))
        .with_state(state)
}
