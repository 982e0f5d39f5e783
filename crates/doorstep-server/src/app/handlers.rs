//! One function per route: check what the store cannot (names, authors, limits), call the
//! backend, answer with the wire types.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorstep_wire::{
    DeviceList, DeviceToken, EnrolRequest, Envelope, MAX_PULL, PullResponse, PushRequest,
    PushResponse, RegisterRequest,
};
use serde::Deserialize;
use uuid::Uuid;

use super::auth::Caller;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::{AppState, HttpError};
use crate::store::{Backend, NewDevice};
use crate::token::Token;

/// The longest device name, in bytes.
const MAX_NAME_BYTES: usize = 200;
/// The longest envelope kind, in bytes.
const MAX_KIND_BYTES: usize = 64;

pub(super) async fn health<B: Backend>(
    State(state): State<AppState<B>>,
) -> Result<Json<serde_json::Value>, HttpError> {
    state.backend.check().await?;
    Ok(Json(serde_json::json!({ "status": "ok" })))
}

pub(super) async fn not_found() -> HttpError {
    HttpError::NotFound("no such route")
}

pub(super) async fn method_not_allowed() -> HttpError {
    HttpError::MethodNotAllowed
}

/// A new device with a fresh token; the token is returned for its device alone.
fn new_device(device: Uuid, name: String) -> Result<(NewDevice, Token), HttpError> {
    if name.trim().is_empty() || name.len() > MAX_NAME_BYTES {
        return Err(HttpError::Malformed(format!(
            "a device name must have 1 to {MAX_NAME_BYTES} bytes"
        )));
    }
    let token = Token::generate().map_err(|e| HttpError::Unavailable(Box::new(e)))?;
    Ok((NewDevice { device, name, token_hash: token.hash() }, token))
}

pub(super) async fn register<B: Backend>(
    State(state): State<AppState<B>>,
    ApiJson(request): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<DeviceToken>), HttpError> {
    let (device, token) = new_device(request.device, request.device_name)?;
    state.backend.create_space(request.space, device).await?;
    tracing::info!(space = %request.space, device = %request.device, "space registered");
    Ok((StatusCode::CREATED, Json(DeviceToken { device: request.device, token: token.reveal() })))
}

pub(super) async fn enrol<B: Backend>(
    State(state): State<AppState<B>>,
    Caller(caller): Caller,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<(StatusCode, Json<DeviceToken>), HttpError> {
    let (device, token) = new_device(request.device, request.device_name)?;
    state.backend.enrol_device(caller.space, caller.device, device).await?;
    tracing::info!(space = %caller.space, device = %request.device, by = %caller.device, "device enrolled");
    Ok((StatusCode::CREATED, Json(DeviceToken { device: request.device, token: token.reveal() })))
}

pub(super) async fn list_devices<B: Backend>(
    State(state): State<AppState<B>>,
    Caller(caller): Caller,
) -> Result<Json<DeviceList>, HttpError> {
    let devices = state.backend.list_devices(caller.space).await?;
    Ok(Json(DeviceList { devices }))
}

pub(super) async fn revoke<B: Backend>(
    State(state): State<AppState<B>>,
    Caller(caller): Caller,
    ApiPath(device): ApiPath<Uuid>,
) -> Result<StatusCode, HttpError> {
    state.backend.revoke_device(caller.space, device).await?;
    tracing::info!(space = %caller.space, device = %device, by = %caller.device, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses the whole batch if any envelope is not the caller's own or cannot be stored as sent.
fn check_envelopes(caller: Uuid, envelopes: &[Envelope]) -> Result<(), HttpError> {
    for envelope in envelopes {
        if envelope.author != caller {
            return Err(HttpError::WrongAuthor { envelope: envelope.id });
        }
        if envelope.kind.is_empty() || envelope.kind.len() > MAX_KIND_BYTES {
            return Err(HttpError::Malformed(format!(
                "envelope {}: a kind must have 1 to {MAX_KIND_BYTES} bytes",
                envelope.id
            )));
        }
        // Databases store signed 64-bit integers.
        if i64::try_from(envelope.hlc.wall_ms).is_err() {
            return Err(HttpError::Malformed(format!(
                "envelope {}: clock out of range",
                envelope.id
            )));
        }
    }
    Ok(())
}

pub(super) async fn push<B: Backend>(
    State(state): State<AppState<B>>,
    Caller(caller): Caller,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, HttpError> {
    check_envelopes(caller.device, &request.envelopes)?;
    let outcome = state.backend.push(caller.space, request.envelopes).await?;
    tracing::debug!(
        device = %caller.device,
        stored = outcome.stored.len(),
        duplicates = outcome.duplicates.len(),
        "push"
    );
    Ok(Json(outcome))
}

#[derive(Debug, Deserialize)]
pub(super) struct PullQuery {
    #[serde(default)]
    after: u64,
    limit: Option<usize>,
}

pub(super) async fn pull<B: Backend>(
    State(state): State<AppState<B>>,
    Caller(caller): Caller,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, HttpError> {
    let limit = query.limit.unwrap_or(MAX_PULL).clamp(1, MAX_PULL);
    let page = state.backend.pull(caller.space, query.after, limit).await?;
    let cursor = page.envelopes.last().map_or(query.after, |last| last.cursor);
    Ok(Json(PullResponse { envelopes: page.envelopes, cursor, more: page.more }))
}
