//! Every way a request is refused, and the one place each becomes an HTTP status and an
//! `ApiError` body. A database failure is logged here and answered with a fixed message: the
//! driver's text never reaches a client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use doorstep_wire::ApiError;
use uuid::Uuid;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("a valid device token is required")]
    Unauthorised,
    #[error("this device has been revoked")]
    Revoked,
    #[error("the request body is larger than the server accepts")]
    TooLarge,
    #[error("{0}")]
    Malformed(String),
    #[error("envelope {envelope} names another device as its author")]
    WrongAuthor { envelope: Uuid },
    #[error("{0}")]
    Conflict(&'static str),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("too many requests from this device; retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("the server could not complete the request; try again later")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl HttpError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorised => (StatusCode::UNAUTHORIZED, "unauthorised"),
            Self::Revoked => (StatusCode::FORBIDDEN, "revoked"),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed"),
            Self::WrongAuthor { .. } => (StatusCode::FORBIDDEN, "forbidden"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        }
    }
}

impl From<StoreError> for HttpError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::SpaceExists => Self::Conflict("the space is already registered"),
            StoreError::DeviceExists => Self::Conflict("the device is already enrolled"),
            StoreError::UnknownSpace => Self::NotFound("no such space"),
            StoreError::UnknownDevice => Self::NotFound("no such device in this space"),
            StoreError::Backend(source) => Self::Unavailable(source),
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let Self::Unavailable(source) = &self {
            tracing::error!(error = %source, "request failed");
        }
        let body = ApiError { code: code.to_owned(), message: self.to_string() };
        let mut response = (status, Json(body)).into_response();
        if let Self::RateLimited { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}
