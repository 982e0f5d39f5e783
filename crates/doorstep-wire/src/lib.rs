//! The sync protocol's shared types: all the server and the devices have in common. The server
//! links only this crate, never the core, so it cannot read or name record content: an envelope
//! is an id, a kind, its author device, a hybrid logical clock and bytes it cannot open.
//!
//! JSON over HTTP; byte fields travel as base64 (standard alphabet, padded).

mod bytes;
mod clock;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use bytes::Bytes;
pub use clock::Hlc;

/// The largest request body the server accepts, and so the largest batch a device sends.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The most envelopes one pull returns.
pub const MAX_PULL: usize = 500;

/// The most bytes of wrapped keys and ciphertext one pull returns, past its first envelope: a
/// page of pieces of audio stays a few megabytes, so a poor connection can finish it.
pub const MAX_PULL_BYTES: usize = 4 * 1024 * 1024;

/// One sealed record, as stored and relayed by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// UUIDv7, chosen by the author device; pushing the same id twice stores it once.
    pub id: Uuid,
    /// What the plaintext is ("note", "person", "ecomap", "audio"...); metadata the server may
    /// see, used to send text before audio.
    pub kind: String,
    /// The device that sealed it.
    pub author: Uuid,
    pub hlc: Hlc,
    /// The record's content key, wrapped by the account's (or caseload's) data key.
    pub wrapped_key: Bytes,
    /// Nonce and XChaCha20-Poly1305 ciphertext of the record, sealed with the envelope's
    /// metadata as associated data.
    pub ciphertext: Bytes,
}

/// An envelope as the server hands it back: with the server's cursor, which orders every
/// envelope of a space in the order the server stored them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub cursor: u64,
    pub envelope: Envelope,
}

/// `POST /v1/register`: a practitioner's first device opens a space on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRequest {
    pub space: Uuid,
    pub device: Uuid,
    pub device_name: String,
}

/// The device's bearer token, shown once; the server keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceToken {
    pub device: Uuid,
    pub token: String,
}

/// `POST /v1/devices`: an enrolled device enrols another device of the same space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub device: Uuid,
    pub device_name: String,
}

/// A device of the space, as `GET /v1/devices` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub device: Uuid,
    pub name: String,
    pub enrolled_at: String,
    pub revoked: bool,
}

/// `GET /v1/devices`: the space's devices in the order they were enrolled, revoked ones too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceList {
    pub devices: Vec<DeviceInfo>,
}

/// `POST /v1/envelopes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub envelopes: Vec<Envelope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// Stored now.
    pub stored: Vec<Uuid>,
    /// Already held (a retried push): nothing was overwritten.
    pub duplicates: Vec<Uuid>,
}

/// `GET /v1/envelopes?after=CURSOR&limit=N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub envelopes: Vec<Stored>,
    /// Pass as `after` next time.
    pub cursor: u64,
    /// Whether more envelopes wait after `cursor`.
    pub more: bool,
}

/// Every error the server returns, as JSON with the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// Stable and machine-readable: "unauthorised", "revoked", "too_large", "malformed",
    /// "forbidden" (an envelope whose author is not the pushing device), "conflict",
    /// "rate_limited", "not_found", "method_not_allowed", "unavailable" (retry later).
    pub code: String,
    /// For a person to read.
    pub message: String,
}
