//! Bearer authentication for the device routes: the token's hash names a device, a revoked
//! device is refused, and the device's rate limit is taken before the handler runs (and before
//! its body is read). The handler receives the device as [`Caller`]. Registration, which has no
//! token yet, takes its rate limit from the peer's address instead.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::log::LoggedDevice;
use super::{AppState, HttpError};
use crate::store::{AuthDevice, Backend};
use crate::token::TokenHash;

/// The authenticated, unrevoked device making the request.
#[derive(Debug, Clone, Copy)]
pub(super) struct Caller(pub AuthDevice);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, HttpError> {
        // Present on every route behind `require_device`; absent means a route was mounted
        // without it, and is refused rather than served unauthenticated.
        parts.extensions.get::<Caller>().copied().ok_or(HttpError::Unauthorised)
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

pub(super) async fn require_device<B: Backend>(
    State(state): State<AppState<B>>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(token) = bearer(request.headers()) else {
        return HttpError::Unauthorised.into_response();
    };
    let device = match state.backend.authenticate(TokenHash::of(token)).await {
        Ok(Some(device)) => device,
        Ok(None) => return HttpError::Unauthorised.into_response(),
        Err(error) => return HttpError::from(error).into_response(),
    };
    let mut response = if device.revoked {
        HttpError::Revoked.into_response()
    } else if let Err(retry_after_secs) = state.limiter.take(device.device, Instant::now()) {
        HttpError::RateLimited { retry_after_secs }.into_response()
    } else {
        request.extensions_mut().insert(Caller(device));
        next.run(request).await
    };
    response.extensions_mut().insert(LoggedDevice(device.device));
    response
}

/// The registration rate limit, per peer address. A router served without connection info (as
/// some tests do) counts every registration in one bucket: still limited, never unlimited.
pub(super) async fn limit_registrations<B: Backend>(
    State(state): State<AppState<B>>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    match state.registrations.take(peer, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(retry_after_secs) => HttpError::RateLimited { retry_after_secs }.into_response(),
    }
}
